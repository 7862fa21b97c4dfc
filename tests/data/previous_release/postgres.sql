--
-- PostgreSQL database dump
--

\restrict iQmY0uFz79bywb8GTWLeHRxJeLuVuCwSlzNYCg4B1jhDR4gyJhefTdfb75KDtaX

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: ledger_previous_release; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA ledger_previous_release;


--
-- Name: stored_event_uuid; Type: TYPE; Schema: ledger_previous_release; Owner: -
--

CREATE TYPE ledger_previous_release.stored_event_uuid AS (
	originator_id uuid,
	originator_version bigint,
	topic text,
	state bytea
);


--
-- Name: es_insert_events_uuid(ledger_previous_release.stored_event_uuid[]); Type: FUNCTION; Schema: ledger_previous_release; Owner: -
--

CREATE FUNCTION ledger_previous_release.es_insert_events_uuid(events ledger_previous_release.stored_event_uuid[]) RETURNS SETOF bigint
    LANGUAGE plpgsql
    AS $$BEGIN    SET LOCAL lock_timeout = '5s';    NOTIFY "ledger_events";    RETURN QUERY    INSERT INTO "ledger_previous_release"."ledger_events" AS t (    originator_id, originator_version, topic, state)    SELECT originator_id, originator_version, topic, state    FROM unnest(events)    RETURNING notification_id;END;$$;


--
-- Name: ledger_refuse_change(); Type: FUNCTION; Schema: ledger_previous_release; Owner: -
--

CREATE FUNCTION ledger_previous_release.ledger_refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN RAISE EXCEPTION 'table % is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege'; END $$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: dir_organisations; Type: TABLE; Schema: ledger_previous_release; Owner: -
--

CREATE TABLE ledger_previous_release.dir_organisations (
    id text NOT NULL,
    key text NOT NULL,
    name text NOT NULL,
    kind text NOT NULL,
    level text NOT NULL,
    superior_id text,
    party_committee_id text,
    successor_id text,
    valid_from text,
    valid_to text,
    details text NOT NULL
);


--
-- Name: dir_people; Type: TABLE; Schema: ledger_previous_release; Owner: -
--

CREATE TABLE ledger_previous_release.dir_people (
    id text NOT NULL,
    key text NOT NULL,
    full_name text NOT NULL,
    party_member boolean NOT NULL,
    details text NOT NULL
);


--
-- Name: dir_positions; Type: TABLE; Schema: ledger_previous_release; Owner: -
--

CREATE TABLE ledger_previous_release.dir_positions (
    organisation_id text NOT NULL,
    key text NOT NULL,
    person_id text NOT NULL,
    role text NOT NULL,
    title text NOT NULL,
    valid_from text NOT NULL,
    valid_to text
);


--
-- Name: idempotency_keys; Type: TABLE; Schema: ledger_previous_release; Owner: -
--

CREATE TABLE ledger_previous_release.idempotency_keys (
    person_id text NOT NULL,
    key text NOT NULL,
    fingerprint text NOT NULL,
    status integer,
    body text,
    headers text,
    created_at text NOT NULL
);


--
-- Name: iv_audit; Type: TABLE; Schema: ledger_previous_release; Owner: -
--

CREATE TABLE ledger_previous_release.iv_audit (
    "position" bigint NOT NULL,
    aggregate_id text NOT NULL,
    aggregate_type text NOT NULL,
    version integer NOT NULL,
    event_type text NOT NULL,
    recorded_at text NOT NULL,
    actor_person_id text,
    actor_name text,
    actor_role text,
    actor_organisation_id text,
    organisation_id text,
    request_id text,
    data text NOT NULL
);


--
-- Name: iv_cadre_facts; Type: TABLE; Schema: ledger_previous_release; Owner: -
--

CREATE TABLE ledger_previous_release.iv_cadre_facts (
    "position" bigint NOT NULL,
    person_id text NOT NULL,
    initiative_id text NOT NULL,
    fact text NOT NULL,
    on_date text NOT NULL
);


--
-- Name: iv_clocks; Type: TABLE; Schema: ledger_previous_release; Owner: -
--

CREATE TABLE ledger_previous_release.iv_clocks (
    initiative_id text NOT NULL,
    seq integer NOT NULL,
    name text NOT NULL,
    organisation_id text NOT NULL,
    started_on text NOT NULL,
    due_on text NOT NULL,
    finished_on text
);


--
-- Name: iv_counts; Type: TABLE; Schema: ledger_previous_release; Owner: -
--

CREATE TABLE ledger_previous_release.iv_counts (
    organisation_id text NOT NULL,
    status text NOT NULL,
    outcome text NOT NULL,
    child integer NOT NULL,
    n bigint NOT NULL
);


--
-- Name: iv_initiatives; Type: TABLE; Schema: ledger_previous_release; Owner: -
--

CREATE TABLE ledger_previous_release.iv_initiatives (
    id text NOT NULL,
    version integer NOT NULL,
    "position" bigint NOT NULL,
    title text NOT NULL,
    search text NOT NULL,
    regime text NOT NULL,
    status text NOT NULL,
    employing_organisation_id text NOT NULL,
    addressee_id text,
    authority_id text,
    parent_id text,
    approval_basis text,
    approved_on text,
    terms_start text,
    terms_end text,
    outcome text,
    recommended_measure text,
    determined_measure text,
    protection_mismatch boolean NOT NULL,
    protection_requested boolean NOT NULL,
    head_override boolean NOT NULL,
    outside_approval boolean NOT NULL,
    supervision_notes integer NOT NULL,
    last_supervision_on text,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    state text NOT NULL
);


--
-- Name: iv_people; Type: TABLE; Schema: ledger_previous_release; Owner: -
--

CREATE TABLE ledger_previous_release.iv_people (
    initiative_id text NOT NULL,
    person_id text NOT NULL,
    relation text NOT NULL
);


--
-- Name: ledger_checkpoints; Type: TABLE; Schema: ledger_previous_release; Owner: -
--

CREATE TABLE ledger_previous_release.ledger_checkpoints (
    size bigint NOT NULL,
    root bytea NOT NULL,
    note text NOT NULL,
    created_at text NOT NULL
);


--
-- Name: ledger_cosignatures; Type: TABLE; Schema: ledger_previous_release; Owner: -
--

CREATE TABLE ledger_previous_release.ledger_cosignatures (
    size bigint NOT NULL,
    witness text NOT NULL,
    line text NOT NULL,
    signed_at bigint NOT NULL,
    received_at text NOT NULL
);


--
-- Name: ledger_events; Type: TABLE; Schema: ledger_previous_release; Owner: -
--

CREATE TABLE ledger_previous_release.ledger_events (
    originator_id uuid NOT NULL,
    originator_version bigint NOT NULL,
    topic text,
    state bytea,
    notification_id bigint NOT NULL
)
WITH (autovacuum_enabled='true', autovacuum_vacuum_threshold='100000000', autovacuum_vacuum_scale_factor='0.5', autovacuum_analyze_threshold='1000', autovacuum_analyze_scale_factor='0.01');


--
-- Name: ledger_events_notification_id_seq; Type: SEQUENCE; Schema: ledger_previous_release; Owner: -
--

CREATE SEQUENCE ledger_previous_release.ledger_events_notification_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: ledger_events_notification_id_seq; Type: SEQUENCE OWNED BY; Schema: ledger_previous_release; Owner: -
--

ALTER SEQUENCE ledger_previous_release.ledger_events_notification_id_seq OWNED BY ledger_previous_release.ledger_events.notification_id;


--
-- Name: ledger_index_nodes; Type: TABLE; Schema: ledger_previous_release; Owner: -
--

CREATE TABLE ledger_previous_release.ledger_index_nodes (
    depth integer NOT NULL,
    prefix bytea NOT NULL,
    size bigint NOT NULL,
    hash bytea NOT NULL,
    entry_key bytea,
    version bigint,
    idx bigint
);


--
-- Name: ledger_leaves; Type: TABLE; Schema: ledger_previous_release; Owner: -
--

CREATE TABLE ledger_previous_release.ledger_leaves (
    idx bigint NOT NULL,
    "position" bigint NOT NULL,
    aggregate_id text NOT NULL,
    version integer NOT NULL,
    leaf_hash bytea NOT NULL
);


--
-- Name: ledger_nodes; Type: TABLE; Schema: ledger_previous_release; Owner: -
--

CREATE TABLE ledger_previous_release.ledger_nodes (
    level integer NOT NULL,
    idx bigint NOT NULL,
    hash bytea NOT NULL
);


--
-- Name: ledger_refused; Type: TABLE; Schema: ledger_previous_release; Owner: -
--

CREATE TABLE ledger_previous_release.ledger_refused (
    "position" bigint NOT NULL,
    aggregate_id text NOT NULL,
    version integer NOT NULL,
    reason text NOT NULL,
    found_at text NOT NULL
);


--
-- Name: ledger_verifications; Type: TABLE; Schema: ledger_previous_release; Owner: -
--

CREATE TABLE ledger_previous_release.ledger_verifications (
    verified_at text NOT NULL,
    ok boolean NOT NULL,
    events bigint NOT NULL,
    leaves bigint NOT NULL,
    checkpoints bigint NOT NULL,
    problems text NOT NULL
);


--
-- Name: page_sessions; Type: TABLE; Schema: ledger_previous_release; Owner: -
--

CREATE TABLE ledger_previous_release.page_sessions (
    id text NOT NULL,
    person_id text NOT NULL,
    positions text NOT NULL,
    created_at text NOT NULL,
    revoked_at text
);


--
-- Name: projection_tracking; Type: TABLE; Schema: ledger_previous_release; Owner: -
--

CREATE TABLE ledger_previous_release.projection_tracking (
    view text NOT NULL,
    "position" bigint NOT NULL,
    updated_at text NOT NULL
);


--
-- Name: rate_limits; Type: TABLE; Schema: ledger_previous_release; Owner: -
--

CREATE UNLOGGED TABLE ledger_previous_release.rate_limits (
    key text NOT NULL,
    count bigint NOT NULL,
    expires_at double precision NOT NULL
);


--
-- Name: ledger_events notification_id; Type: DEFAULT; Schema: ledger_previous_release; Owner: -
--

ALTER TABLE ONLY ledger_previous_release.ledger_events ALTER COLUMN notification_id SET DEFAULT nextval('ledger_previous_release.ledger_events_notification_id_seq'::regclass);


--
-- Data for Name: dir_organisations; Type: TABLE DATA; Schema: ledger_previous_release; Owner: -
--

INSERT INTO ledger_previous_release.dir_organisations VALUES ('9ee2afda-b0a1-5ee1-a8f7-2bf4eede584c', 'hcm-ubnd', 'Ủy ban nhân dân Thành phố Hồ Chí Minh', 'peoples_committee', 'province', NULL, '8c406dc5-83d2-54ff-8558-b5a0e28deb39', NULL, '2025-07-01', NULL, '{"name":"Ủy ban nhân dân Thành phố Hồ Chí Minh","kind":"peoples_committee","level":"province","superior":null,"party_committee":"hcm-thanh-uy","valid_from":"2025-07-01","valid_to":null,"succession":[]}');
INSERT INTO ledger_previous_release.dir_organisations VALUES ('8c406dc5-83d2-54ff-8558-b5a0e28deb39', 'hcm-thanh-uy', 'Thành ủy Thành phố Hồ Chí Minh', 'party_committee', 'province', NULL, '8c406dc5-83d2-54ff-8558-b5a0e28deb39', NULL, '2025-07-01', NULL, '{"name":"Thành ủy Thành phố Hồ Chí Minh","kind":"party_committee","level":"province","superior":null,"party_committee":"hcm-thanh-uy","valid_from":"2025-07-01","valid_to":null,"succession":[]}');
INSERT INTO ledger_previous_release.dir_organisations VALUES ('1854d6d9-6b0d-596b-aa82-3dd178305019', 'ben-thanh-ubnd', 'Ủy ban nhân dân phường Bến Thành', 'peoples_committee', 'commune', '9ee2afda-b0a1-5ee1-a8f7-2bf4eede584c', 'd83055fa-b424-56ad-9759-6ec87bbb9df3', NULL, '2025-07-01', NULL, '{"name":"Ủy ban nhân dân phường Bến Thành","kind":"peoples_committee","level":"commune","superior":"hcm-ubnd","party_committee":"ben-thanh-dang-uy","valid_from":"2025-07-01","valid_to":null,"succession":[]}');
INSERT INTO ledger_previous_release.dir_organisations VALUES ('d83055fa-b424-56ad-9759-6ec87bbb9df3', 'ben-thanh-dang-uy', 'Đảng ủy phường Bến Thành', 'party_committee', 'commune', '8c406dc5-83d2-54ff-8558-b5a0e28deb39', 'd83055fa-b424-56ad-9759-6ec87bbb9df3', NULL, '2025-07-01', NULL, '{"name":"Đảng ủy phường Bến Thành","kind":"party_committee","level":"commune","superior":"hcm-thanh-uy","party_committee":"ben-thanh-dang-uy","valid_from":"2025-07-01","valid_to":null,"succession":[]}');


--
-- Data for Name: dir_people; Type: TABLE DATA; Schema: ledger_previous_release; Owner: -
--

INSERT INTO ledger_previous_release.dir_people VALUES ('9f0bc5b7-26ae-513a-9204-f6a5802d2d3a', 'chu-tich', 'Nguyễn Thị Hồng', true, '{"full_name":"Nguyễn Thị Hồng","identifiers":{},"party_member":true}');
INSERT INTO ledger_previous_release.dir_people VALUES ('850bf084-9ab6-5d44-933e-28e23203b470', 'pho-1', 'Trần Văn Bình', true, '{"full_name":"Trần Văn Bình","identifiers":{},"party_member":true}');
INSERT INTO ledger_previous_release.dir_people VALUES ('8a4d4a81-65cc-51aa-8f89-77b939ddd5f4', 'pho-2', 'Lê Minh Châu', true, '{"full_name":"Lê Minh Châu","identifiers":{},"party_member":true}');
INSERT INTO ledger_previous_release.dir_people VALUES ('30d8fa9b-161c-5df7-9c4d-1fd1a2788941', 'can-bo', 'Phạm Đức Dũng', true, '{"full_name":"Phạm Đức Dũng","identifiers":{},"party_member":true}');
INSERT INTO ledger_previous_release.dir_people VALUES ('c4ee9173-ac77-5f19-b672-1e8a12168070', 'van-thu', 'Võ Thị Em', false, '{"full_name":"Võ Thị Em","identifiers":{},"party_member":false}');
INSERT INTO ledger_previous_release.dir_people VALUES ('4120034f-ada3-577c-b828-215da18a3881', 'dang-uy', 'Hoàng Văn Phúc', true, '{"full_name":"Hoàng Văn Phúc","identifiers":{},"party_member":true}');
INSERT INTO ledger_previous_release.dir_people VALUES ('0f49ef39-0722-5943-b9e2-b99fea172e2b', 'tp-chu-tich', 'Đặng Quốc Giang', true, '{"full_name":"Đặng Quốc Giang","identifiers":{},"party_member":true}');
INSERT INTO ledger_previous_release.dir_people VALUES ('19e0ccfb-6371-5724-b3e8-bd633afb17db', 'tp-pho', 'Bùi Thị Hạnh', true, '{"full_name":"Bùi Thị Hạnh","identifiers":{},"party_member":true}');


--
-- Data for Name: dir_positions; Type: TABLE DATA; Schema: ledger_previous_release; Owner: -
--

INSERT INTO ledger_previous_release.dir_positions VALUES ('9ee2afda-b0a1-5ee1-a8f7-2bf4eede584c', 'tp-chu-tich/head/2025-07-01', '0f49ef39-0722-5943-b9e2-b99fea172e2b', 'head', 'Chủ tịch', '2025-07-01', NULL);
INSERT INTO ledger_previous_release.dir_positions VALUES ('9ee2afda-b0a1-5ee1-a8f7-2bf4eede584c', 'tp-pho/deputy/2025-07-01', '19e0ccfb-6371-5724-b3e8-bd633afb17db', 'deputy', 'Phó Chủ tịch', '2025-07-01', NULL);
INSERT INTO ledger_previous_release.dir_positions VALUES ('8c406dc5-83d2-54ff-8558-b5a0e28deb39', 'tp-chu-tich/party_committee/2025-07-01', '0f49ef39-0722-5943-b9e2-b99fea172e2b', 'party_committee', 'Thành ủy viên', '2025-07-01', NULL);
INSERT INTO ledger_previous_release.dir_positions VALUES ('1854d6d9-6b0d-596b-aa82-3dd178305019', 'chu-tich/head/2025-07-01', '9f0bc5b7-26ae-513a-9204-f6a5802d2d3a', 'head', 'Chủ tịch', '2025-07-01', NULL);
INSERT INTO ledger_previous_release.dir_positions VALUES ('1854d6d9-6b0d-596b-aa82-3dd178305019', 'pho-1/deputy/2025-07-01', '850bf084-9ab6-5d44-933e-28e23203b470', 'deputy', 'Phó Chủ tịch', '2025-07-01', NULL);
INSERT INTO ledger_previous_release.dir_positions VALUES ('1854d6d9-6b0d-596b-aa82-3dd178305019', 'pho-2/deputy/2025-07-01', '8a4d4a81-65cc-51aa-8f89-77b939ddd5f4', 'deputy', 'Phó Chủ tịch', '2025-07-01', NULL);
INSERT INTO ledger_previous_release.dir_positions VALUES ('1854d6d9-6b0d-596b-aa82-3dd178305019', 'can-bo/staff/2025-07-01', '30d8fa9b-161c-5df7-9c4d-1fd1a2788941', 'staff', 'Chuyên viên', '2025-07-01', NULL);
INSERT INTO ledger_previous_release.dir_positions VALUES ('1854d6d9-6b0d-596b-aa82-3dd178305019', 'van-thu/clerk/2025-07-01', 'c4ee9173-ac77-5f19-b672-1e8a12168070', 'clerk', 'Văn thư', '2025-07-01', NULL);
INSERT INTO ledger_previous_release.dir_positions VALUES ('d83055fa-b424-56ad-9759-6ec87bbb9df3', 'dang-uy/party_committee/2025-07-01', '4120034f-ada3-577c-b828-215da18a3881', 'party_committee', 'Đảng ủy viên', '2025-07-01', NULL);


--
-- Data for Name: idempotency_keys; Type: TABLE DATA; Schema: ledger_previous_release; Owner: -
--



--
-- Data for Name: iv_audit; Type: TABLE DATA; Schema: ledger_previous_release; Owner: -
--

INSERT INTO ledger_previous_release.iv_audit VALUES (1, '9f0bc5b7-26ae-513a-9204-f6a5802d2d3a', 'Person', 1, 'Registered', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, NULL, NULL, '{"_act":"Pdk2NmFfZ17NeLU5Ve4JMOV/hVEfPmdoD/uv7l7WmI8Pz/p2/IStXy9Dq7P5eULao314oywJoQVPCPrtZT4zE52E5AM=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"originator_topic":"domain.directory:Person","key":"chu-tich","details":{"full_name":"Nguyễn Thị Hồng","identifiers":{},"party_member":true},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (2, '9f0bc5b7-26ae-513a-9204-f6a5802d2d3a', 'Person', 2, 'AffiliationRecorded', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, NULL, NULL, '{"_act":"Pdk2NqJz48Ym9ECdVYqKVdYvi+Oy7HaIsmTrYwoKbPFWXYOpFk/fMNPc+pGCH3zjvLERat0yl5YXANb3hTKwGjWi9AU=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"organisation_id":{"_type_":"uuid_hex","_data_":"1854d6d96b0d596baa823dd178305019"},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (3, '850bf084-9ab6-5d44-933e-28e23203b470', 'Person', 1, 'Registered', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, NULL, NULL, '{"_act":"Pdk2NiavrRbP7Q9imt78MHDpWwjVRvxhFYIAhqGdaOC+eVxBeYcb0xPoPxE+6TyADsDhR7AWIFuHZyUC7c/BH+NnoQY=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"originator_topic":"domain.directory:Person","key":"pho-1","details":{"full_name":"Trần Văn Bình","identifiers":{},"party_member":true},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (4, '850bf084-9ab6-5d44-933e-28e23203b470', 'Person', 2, 'AffiliationRecorded', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, NULL, NULL, '{"_act":"Pdk2NgiQ9FSVIrH8z1qYiNUUqr91CF6m8ou+rQPH73oJ66xg9JxG/AVDL7IkRE4gqRJ6yRNrmBh0IBXpPPQBIiV6qQ0=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"organisation_id":{"_type_":"uuid_hex","_data_":"1854d6d96b0d596baa823dd178305019"},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (5, '8a4d4a81-65cc-51aa-8f89-77b939ddd5f4', 'Person', 1, 'Registered', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, NULL, NULL, '{"_act":"Pdk2NgCmLurQkB+tfll2XBDKWGajto1VsBUDEW2li2swX4JZfnWQKzaokSPzJGsPMnL+SoaMt8IM58ipgTKEtJQ59gM=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"originator_topic":"domain.directory:Person","key":"pho-2","details":{"full_name":"Lê Minh Châu","identifiers":{},"party_member":true},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (6, '8a4d4a81-65cc-51aa-8f89-77b939ddd5f4', 'Person', 2, 'AffiliationRecorded', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, NULL, NULL, '{"_act":"Pdk2NsYg0dNF69ZCpFs5dyBzKC15nCx3n9q2bhYl6tgI2KJQsZFBQ/Bm46oNLO0E2yAMwLLRP3u8qesWiJiPB32YTwM=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"organisation_id":{"_type_":"uuid_hex","_data_":"1854d6d96b0d596baa823dd178305019"},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (7, '30d8fa9b-161c-5df7-9c4d-1fd1a2788941', 'Person', 1, 'Registered', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, NULL, NULL, '{"_act":"Pdk2NlVMWc13go3OYzWM0LwxhOLQE8t1neYJttRfBfIPM9IfGQgH/SkH6dh8UaWxPJVIze8UA0l9uXORRs57QTwLgQo=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"originator_topic":"domain.directory:Person","key":"can-bo","details":{"full_name":"Phạm Đức Dũng","identifiers":{},"party_member":true},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (8, '30d8fa9b-161c-5df7-9c4d-1fd1a2788941', 'Person', 2, 'AffiliationRecorded', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, NULL, NULL, '{"_act":"Pdk2NiKpzFCeFX1Nu1yoA1L/BG4S+CLHTiVzjwqPndP3AvKZxkkSPW8JmhAy5MqlK0VEAjEKqYOy8C6Q8RCUFWx4xws=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"organisation_id":{"_type_":"uuid_hex","_data_":"1854d6d96b0d596baa823dd178305019"},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (9, 'c4ee9173-ac77-5f19-b672-1e8a12168070', 'Person', 1, 'Registered', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, NULL, NULL, '{"_act":"Pdk2NhxSFheRw6s2f/FJX5I8vqKzYdBkUnVA1p8mHjHoFf1yDa9uJ0tk84KlDN/HzMnb2yneV6KjQrheK2diLDuOgAU=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"originator_topic":"domain.directory:Person","key":"van-thu","details":{"full_name":"Võ Thị Em","identifiers":{},"party_member":false},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (10, 'c4ee9173-ac77-5f19-b672-1e8a12168070', 'Person', 2, 'AffiliationRecorded', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, NULL, NULL, '{"_act":"Pdk2No001dKmO1/qudTF7HTcvWh45Z3T0azzw9MIV7yS2fj2pPRjBIq40GP9MH5QJMeOoFQv4ErAaa2DEHQlWtzNTQ4=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"organisation_id":{"_type_":"uuid_hex","_data_":"1854d6d96b0d596baa823dd178305019"},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (11, '4120034f-ada3-577c-b828-215da18a3881', 'Person', 1, 'Registered', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, NULL, NULL, '{"_act":"Pdk2NmH8WQjZSzgHrYqtq16xuDhoIl99P+WQ5PCb8NMW3WxZmG3F6nkeu9lxxSu1JZopdEZIbSsD+5+rKbrl6viYiQM=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"originator_topic":"domain.directory:Person","key":"dang-uy","details":{"full_name":"Hoàng Văn Phúc","identifiers":{},"party_member":true},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (12, '4120034f-ada3-577c-b828-215da18a3881', 'Person', 2, 'AffiliationRecorded', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, NULL, NULL, '{"_act":"Pdk2NhNbwzSflBMbqusZxOC273DDlybvXpxbs1yl4Z7ntWPNNtj7AW3h7pyjZGmSta8zMrpwq2GE4fIPU3M0chdPBAs=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"organisation_id":{"_type_":"uuid_hex","_data_":"d83055fab42456ad97596ec87bbb9df3"},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (13, '0f49ef39-0722-5943-b9e2-b99fea172e2b', 'Person', 1, 'Registered', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, NULL, NULL, '{"_act":"Pdk2NpupdhVCGcrlbspuY1AuNrj/En0tHP9cgaKvtlkGNzGLn6K0Y27tmKIePz0SaD4CzMI9DjloHMHVNjIpRY+kvgw=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"originator_topic":"domain.directory:Person","key":"tp-chu-tich","details":{"full_name":"Đặng Quốc Giang","identifiers":{},"party_member":true},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (14, '0f49ef39-0722-5943-b9e2-b99fea172e2b', 'Person', 2, 'AffiliationRecorded', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, NULL, NULL, '{"_act":"Pdk2Np6aKg20ilB/J4PPsIGyjtwVsXMRymwn82G9dHdZtbfm+Yg7uOhRsnt6p1Vihk1zLRiiJ//Ckv+7l4gVpVHM4gw=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"organisation_id":{"_type_":"uuid_hex","_data_":"9ee2afdab0a15ee1a8f72bf4eede584c"},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (15, '0f49ef39-0722-5943-b9e2-b99fea172e2b', 'Person', 3, 'AffiliationRecorded', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, NULL, NULL, '{"_act":"Pdk2Nl/cbXas+0rMKyazkrFPh9EtwHub0FWXsQhM84qPj2qi0scMgumF66O7DqqansEgBe4o/3264T1NNlQiQET5tgE=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"organisation_id":{"_type_":"uuid_hex","_data_":"8c406dc583d254ff8558b5a0e28deb39"},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (16, '19e0ccfb-6371-5724-b3e8-bd633afb17db', 'Person', 1, 'Registered', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, NULL, NULL, '{"_act":"Pdk2NuVPpkfPomOElE7f0wlmBhd+QZCK/HGSk+0BIZ4fGOb4DIgjEcqRZo9eL+zCRqIxTlWRdbK9o0AeAGhZsK/RQw4=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"originator_topic":"domain.directory:Person","key":"tp-pho","details":{"full_name":"Bùi Thị Hạnh","identifiers":{},"party_member":true},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (17, '19e0ccfb-6371-5724-b3e8-bd633afb17db', 'Person', 2, 'AffiliationRecorded', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, NULL, NULL, '{"_act":"Pdk2NmnBKIv/IKiEGMMO0p3y+a7bNTkG2or1X9y9Ffy0UnotimBI5oJYG3ORlWVgcQnRetdjlF0MLOulT+ZXWrksjwE=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"organisation_id":{"_type_":"uuid_hex","_data_":"9ee2afdab0a15ee1a8f72bf4eede584c"},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (18, '9ee2afda-b0a1-5ee1-a8f7-2bf4eede584c', 'Organisation', 1, 'Registered', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, '9ee2afda-b0a1-5ee1-a8f7-2bf4eede584c', NULL, '{"_act":"Pdk2NkMtiSAUS0jVAe5r5v7g9neRHza8MDcwMFb8sZIii30pKJfcOmrl9ZGRG7+oNJ/oZPIPndLRFLf/NS46YYNPhQc=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"originator_topic":"domain.directory:Organisation","key":"hcm-ubnd","details":{"name":"Ủy ban nhân dân Thành phố Hồ Chí Minh","kind":"peoples_committee","level":"province","superior":null,"party_committee":"hcm-thanh-uy","valid_from":{"_type_":"date_iso","_data_":"2025-07-01"},"valid_to":null,"succession":[]},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (19, '9ee2afda-b0a1-5ee1-a8f7-2bf4eede584c', 'Organisation', 2, 'PositionAssigned', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, '9ee2afda-b0a1-5ee1-a8f7-2bf4eede584c', NULL, '{"_act":"Pdk2NqoiWyQuBEYyOG/nChOar1zxnOcdNXu5UxdpkBNoWIvXkYbbMa1JHpNi4Jxq7b2zt7qflwQW7IcfKu9vRTbEuAM=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"position":{"key":"tp-chu-tich/head/2025-07-01","person_id":{"_type_":"uuid_hex","_data_":"0f49ef3907225943b9e2b99fea172e2b"},"role":"head","title":"Chủ tịch","valid_from":{"_type_":"date_iso","_data_":"2025-07-01"},"valid_to":null},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (20, '9ee2afda-b0a1-5ee1-a8f7-2bf4eede584c', 'Organisation', 3, 'PositionAssigned', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, '9ee2afda-b0a1-5ee1-a8f7-2bf4eede584c', NULL, '{"_act":"Pdk2NtayBdmn5B7pbL/wCoxG9MiaaBliK2a/rowt8ruSq4npmjfBPjXkbFIhP4TCiypoyUoOlCy2gEqs4RdWwSuN5wA=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"position":{"key":"tp-pho/deputy/2025-07-01","person_id":{"_type_":"uuid_hex","_data_":"19e0ccfb63715724b3e8bd633afb17db"},"role":"deputy","title":"Phó Chủ tịch","valid_from":{"_type_":"date_iso","_data_":"2025-07-01"},"valid_to":null},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (21, '8c406dc5-83d2-54ff-8558-b5a0e28deb39', 'Organisation', 1, 'Registered', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, '8c406dc5-83d2-54ff-8558-b5a0e28deb39', NULL, '{"_act":"Pdk2Nl+naAUMFxK2xCUrHI9IGoQmOckB9djHs8asztQ2Md205idHtIVlOADHrLDUAEVfbKF85shU0aOxHy7pGhFdVwc=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"originator_topic":"domain.directory:Organisation","key":"hcm-thanh-uy","details":{"name":"Thành ủy Thành phố Hồ Chí Minh","kind":"party_committee","level":"province","superior":null,"party_committee":"hcm-thanh-uy","valid_from":{"_type_":"date_iso","_data_":"2025-07-01"},"valid_to":null,"succession":[]},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (22, '8c406dc5-83d2-54ff-8558-b5a0e28deb39', 'Organisation', 2, 'PositionAssigned', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, '8c406dc5-83d2-54ff-8558-b5a0e28deb39', NULL, '{"_act":"Pdk2Ns2vMnjN9NiQx15weTpEoYOSd/fiIUqPHvmae8BwPNdUz9Rwqd1NSxgzhVgzcCvAB3O6kbRJpMURPDDcbhxb5QI=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"position":{"key":"tp-chu-tich/party_committee/2025-07-01","person_id":{"_type_":"uuid_hex","_data_":"0f49ef3907225943b9e2b99fea172e2b"},"role":"party_committee","title":"Thành ủy viên","valid_from":{"_type_":"date_iso","_data_":"2025-07-01"},"valid_to":null},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (23, '1854d6d9-6b0d-596b-aa82-3dd178305019', 'Organisation', 1, 'Registered', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, '1854d6d9-6b0d-596b-aa82-3dd178305019', NULL, '{"_act":"Pdk2NoLfcneeFTTiVctY3cyhbZNbXHIk1VzxI3rNdIk+ZKWZlw92DF7YMzahKaAcfsPjObQOs2f/nPyD00/AezsYIgQ=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"originator_topic":"domain.directory:Organisation","key":"ben-thanh-ubnd","details":{"name":"Ủy ban nhân dân phường Bến Thành","kind":"peoples_committee","level":"commune","superior":"hcm-ubnd","party_committee":"ben-thanh-dang-uy","valid_from":{"_type_":"date_iso","_data_":"2025-07-01"},"valid_to":null,"succession":[]},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (24, '1854d6d9-6b0d-596b-aa82-3dd178305019', 'Organisation', 2, 'PositionAssigned', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, '1854d6d9-6b0d-596b-aa82-3dd178305019', NULL, '{"_act":"Pdk2Nhzw/1Asw6CuSpFVv2JGCLTRv0xWTkEAhXmW6IquD3f6VFtm+bcmPhgCWVJa1tP1eUJZjd7hyxQxSkv7xl0EaAA=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"position":{"key":"chu-tich/head/2025-07-01","person_id":{"_type_":"uuid_hex","_data_":"9f0bc5b726ae513a9204f6a5802d2d3a"},"role":"head","title":"Chủ tịch","valid_from":{"_type_":"date_iso","_data_":"2025-07-01"},"valid_to":null},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (25, '1854d6d9-6b0d-596b-aa82-3dd178305019', 'Organisation', 3, 'PositionAssigned', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, '1854d6d9-6b0d-596b-aa82-3dd178305019', NULL, '{"_act":"Pdk2NiFcjypfkeHBsdTi1JoJEnAxK+VuXb1k9/64dRikH1B29rVzuVQFAuY5wsgQcIz72myg+08aLEL7RRTa5Wev8g4=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"position":{"key":"pho-1/deputy/2025-07-01","person_id":{"_type_":"uuid_hex","_data_":"850bf0849ab65d44933e28e23203b470"},"role":"deputy","title":"Phó Chủ tịch","valid_from":{"_type_":"date_iso","_data_":"2025-07-01"},"valid_to":null},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (26, '1854d6d9-6b0d-596b-aa82-3dd178305019', 'Organisation', 4, 'PositionAssigned', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, '1854d6d9-6b0d-596b-aa82-3dd178305019', NULL, '{"_act":"Pdk2NmRRW9vNVdflv+m4qN3AFbhgFlmaHrZbckqPw1Dh6zdgMF4SEErjnjALBtBaz9hk4gNJYJfnVGAfMO+MSxSSjwU=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"position":{"key":"pho-2/deputy/2025-07-01","person_id":{"_type_":"uuid_hex","_data_":"8a4d4a8165cc51aa8f8977b939ddd5f4"},"role":"deputy","title":"Phó Chủ tịch","valid_from":{"_type_":"date_iso","_data_":"2025-07-01"},"valid_to":null},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (27, '1854d6d9-6b0d-596b-aa82-3dd178305019', 'Organisation', 5, 'PositionAssigned', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, '1854d6d9-6b0d-596b-aa82-3dd178305019', NULL, '{"_act":"Pdk2NrmKvPOS+K7IA0LpLwNpnKeHWzo4295tb1cLqYvwCrB9/zz8r5oLlUpY0yhLIOFS0HZdxu0QQneEmsgysrnMpAU=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"position":{"key":"can-bo/staff/2025-07-01","person_id":{"_type_":"uuid_hex","_data_":"30d8fa9b161c5df79c4d1fd1a2788941"},"role":"staff","title":"Chuyên viên","valid_from":{"_type_":"date_iso","_data_":"2025-07-01"},"valid_to":null},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (28, '1854d6d9-6b0d-596b-aa82-3dd178305019', 'Organisation', 6, 'PositionAssigned', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, '1854d6d9-6b0d-596b-aa82-3dd178305019', NULL, '{"_act":"Pdk2NgHItfSrMuMv2Ly2FOfUL2MK3CWOJXxBTHd8iFb97GAk/avqHdYk2167et0HzH2AZ+fRFba+X7c3Y1mi4j+6oQc=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"position":{"key":"van-thu/clerk/2025-07-01","person_id":{"_type_":"uuid_hex","_data_":"c4ee9173ac775f19b6721e8a12168070"},"role":"clerk","title":"Văn thư","valid_from":{"_type_":"date_iso","_data_":"2025-07-01"},"valid_to":null},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (29, 'd83055fa-b424-56ad-9759-6ec87bbb9df3', 'Organisation', 1, 'Registered', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, 'd83055fa-b424-56ad-9759-6ec87bbb9df3', NULL, '{"_act":"Pdk2NvjHMMvUGbiUvFFz10cn8d87Y6DBuilnYyeykhtzrh0r3LSNwStcqdgwezAQeafkmzgsZkpTih6a2LQSlNkTzgU=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"originator_topic":"domain.directory:Organisation","key":"ben-thanh-dang-uy","details":{"name":"Đảng ủy phường Bến Thành","kind":"party_committee","level":"commune","superior":"hcm-thanh-uy","party_committee":"ben-thanh-dang-uy","valid_from":{"_type_":"date_iso","_data_":"2025-07-01"},"valid_to":null,"succession":[]},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (30, 'd83055fa-b424-56ad-9759-6ec87bbb9df3', 'Organisation', 2, 'PositionAssigned', '2026-03-02T03:00:00+00:00', NULL, NULL, NULL, NULL, 'd83055fa-b424-56ad-9759-6ec87bbb9df3', NULL, '{"_act":"Pdk2NoKtBk6JmsAFOFqB0N4SNgigKX9QMeSywNbaPpWskkVRt38zCPi6qGQTGfs7knpNgusCb3VLE0ECv+ZMopOYXQM=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"position":{"key":"dang-uy/party_committee/2025-07-01","person_id":{"_type_":"uuid_hex","_data_":"4120034fada3577cb828215da18a3881"},"role":"party_committee","title":"Đảng ủy viên","valid_from":{"_type_":"date_iso","_data_":"2025-07-01"},"valid_to":null},"source":"test"}');
INSERT INTO ledger_previous_release.iv_audit VALUES (31, 'c505a553-d3ce-4feb-bbe5-fbc8806adcfd', 'Initiative', 1, 'Drafted', '2026-03-02T03:00:00+00:00', '30d8fa9b-161c-5df7-9c4d-1fd1a2788941', 'Phạm Đức Dũng', 'staff', '1854d6d9-6b0d-596b-aa82-3dd178305019', '1854d6d9-6b0d-596b-aa82-3dd178305019', '4e1315fb-313a-4e73-b138-a7b4efe55d0a', '{"_act":"Pdk2NqzVAPNhgkHOyhdryItoFm86OCAtPAzwNiCq+cIb2w4C6HUS0Dm/8074/PznN6tmCXGRsjLgiJiv/CsTtcIR/go=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"originator_topic":"domain.initiative:Initiative","actor":{"person_id":"30d8fa9b-161c-5df7-9c4d-1fd1a2788941","name":"Phạm Đức Dũng","role":"staff","organisation_id":"1854d6d9-6b0d-596b-aa82-3dd178305019"},"request_id":"4e1315fb-313a-4e73-b138-a7b4efe55d0a","title":"Một cửa điện tử","regime":"regular","employing_organisation_id":{"_type_":"uuid_hex","_data_":"1854d6d96b0d596baa823dd178305019"},"proposer_ids":[{"_type_":"uuid_hex","_data_":"30d8fa9b161c5df79c4d1fd1a2788941"}],"summary":""}');
INSERT INTO ledger_previous_release.iv_audit VALUES (32, 'c505a553-d3ce-4feb-bbe5-fbc8806adcfd', 'Initiative', 2, 'Submitted', '2026-03-02T03:00:00+00:00', '30d8fa9b-161c-5df7-9c4d-1fd1a2788941', 'Phạm Đức Dũng', 'staff', '1854d6d9-6b0d-596b-aa82-3dd178305019', '1854d6d9-6b0d-596b-aa82-3dd178305019', 'c402164e-0227-493c-bdd5-4fdb41429135', '{"_act":"Pdk2NkwuFuJpH4e3G9rmNgErN1BpKhsB342GL4u1voL2cqDu3HuM+wfym+Gj1NxwShYpTMbgUnVMkwCO7HqSuiDB+Qs=","timestamp":{"_type_":"datetime_iso","_data_":"2026-03-02T03:00:00+00:00"},"actor":{"person_id":"30d8fa9b-161c-5df7-9c4d-1fd1a2788941","name":"Phạm Đức Dũng","role":"staff","organisation_id":"1854d6d9-6b0d-596b-aa82-3dd178305019"},"request_id":"c402164e-0227-493c-bdd5-4fdb41429135","addressee_id":{"_type_":"uuid_hex","_data_":"1854d6d96b0d596baa823dd178305019"},"proposal":{"necessity":"Thủ tục cấp phép kéo dài, người dân phải đi lại nhiều lần.","purpose":"Rút ngắn thời gian cấp phép xuống 3 ngày.","bottleneck":"regulated_but_unsuitable","rules_concerned":["Quyết định 12/2020/QĐ-UBND"],"content":"Tiếp nhận hồ sơ trực tuyến và liên thông.","tasks":["Xây dựng quy trình","Đào tạo cán bộ"],"solutions":"Một cửa liên thông điện tử.","scope":"Phường Bến Thành","subjects":"Hộ kinh doanh","planned_start":{"_type_":"date_iso","_data_":"2026-04-01"},"planned_end":{"_type_":"date_iso","_data_":"2026-12-31"},"resources":"2 cán bộ, 1 máy chủ","budget_source":"Ngân sách phường","feasibility":"Cao","positive_impacts":"Giảm thời gian chờ.","negative_impacts":"Chi phí đào tạo.","expected_results":["Thời gian cấp phép 3 ngày"],"options":[{"title":"Trực tuyến","description":"Nộp hồ sơ qua cổng"},{"title":"Giữ nguyên","description":"Không thay đổi"}],"chosen_option":"Trực tuyến","chosen_option_reason":"Nhanh nhất.","worst_case":"Hệ thống lỗi, quay lại quy trình giấy.","remedies":"Duy trì song song quầy giấy trong 3 tháng.","no_self_interest":true}}');


--
-- Data for Name: iv_cadre_facts; Type: TABLE DATA; Schema: ledger_previous_release; Owner: -
--

INSERT INTO ledger_previous_release.iv_cadre_facts VALUES (31, '30d8fa9b-161c-5df7-9c4d-1fd1a2788941', 'c505a553-d3ce-4feb-bbe5-fbc8806adcfd', 'proposed', '2026-03-02');


--
-- Data for Name: iv_clocks; Type: TABLE DATA; Schema: ledger_previous_release; Owner: -
--



--
-- Data for Name: iv_counts; Type: TABLE DATA; Schema: ledger_previous_release; Owner: -
--

INSERT INTO ledger_previous_release.iv_counts VALUES ('1854d6d9-6b0d-596b-aa82-3dd178305019', 'submitted', '', 0, 1);


--
-- Data for Name: iv_initiatives; Type: TABLE DATA; Schema: ledger_previous_release; Owner: -
--

INSERT INTO ledger_previous_release.iv_initiatives VALUES ('c505a553-d3ce-4feb-bbe5-fbc8806adcfd', 2, 32, 'Một cửa điện tử', 'mot cua dien tu', 'regular', 'submitted', '1854d6d9-6b0d-596b-aa82-3dd178305019', '1854d6d9-6b0d-596b-aa82-3dd178305019', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'not_eligible', NULL, false, false, false, false, 0, NULL, '2026-03-02T03:00:00+00:00', '2026-03-02T03:00:00+00:00', '{"proposer_ids":["30d8fa9b-161c-5df7-9c4d-1fd1a2788941"],"assignee_ids":[],"party_opinions":[],"flags":[]}');


--
-- Data for Name: iv_people; Type: TABLE DATA; Schema: ledger_previous_release; Owner: -
--

INSERT INTO ledger_previous_release.iv_people VALUES ('c505a553-d3ce-4feb-bbe5-fbc8806adcfd', '30d8fa9b-161c-5df7-9c4d-1fd1a2788941', 'proposer');


--
-- Data for Name: ledger_checkpoints; Type: TABLE DATA; Schema: ledger_previous_release; Owner: -
--

INSERT INTO ledger_previous_release.ledger_checkpoints VALUES (32, '\xf087a799da7e03df2a56e4d9c286c16ece61dbae78f6248ac4874f2ae72dd524', 'ledger.example/test
32
8Ienmdp+A98qVuTZwobBbs5h26549iSKxIdPKuct1SQ=
initiative-ledger/index NmCuFQvyyXWPZnEg8xYq/q6PZ15OWN9riI2WYL5SSMc=

— ledger.example/test uEznB6BHWapVWBKv2DwfuPWU7z1/o49lhhrbzg0VQBq0o5oEG0H6zsd3dln3P3JhHhPsxWi7mOTUQSuJIQH9cMngGwg=
', '2026-12-05T13:46:52.700172+00:00');


--
-- Data for Name: ledger_cosignatures; Type: TABLE DATA; Schema: ledger_previous_release; Owner: -
--



--
-- Data for Name: ledger_events; Type: TABLE DATA; Schema: ledger_previous_release; Owner: -
--

INSERT INTO ledger_previous_release.ledger_events VALUES ('9f0bc5b7-26ae-513a-9204-f6a5802d2d3a', 1, 'domain.directory:Person.Registered', '\x7b225f616374223a2250646b324e6d46665a31374e654c55355665344a4d4f562f68564566506d646f442f7576376c37576d4938507a2f70322f495374587939447137503565554c616f3331346f79774a6f515650435072745a54347a4535324535414d3d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c226f726967696e61746f725f746f706963223a22646f6d61696e2e6469726563746f72793a506572736f6e222c226b6579223a226368752d74696368222c2264657461696c73223a7b2266756c6c5f6e616d65223a224e677579e1bb856e205468e1bb8b2048e1bb936e67222c226964656e74696669657273223a7b7d2c2270617274795f6d656d626572223a747275657d2c22736f75726365223a2274657374227d', 1);
INSERT INTO ledger_previous_release.ledger_events VALUES ('9f0bc5b7-26ae-513a-9204-f6a5802d2d3a', 2, 'domain.directory:Person.AffiliationRecorded', '\x7b225f616374223a2250646b324e714a7a3438596d394543645659714b56645976692b4f7937486149736d547259776f4b6250465758594f70466b2f664d4e50632b70474348337a6a764c4552617430796c355958414e623368544b77476a57693941553d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c226f7267616e69736174696f6e5f6964223a7b225f747970655f223a22757569645f686578222c225f646174615f223a223138353464366439366230643539366261613832336464313738333035303139227d2c22736f75726365223a2274657374227d', 2);
INSERT INTO ledger_previous_release.ledger_events VALUES ('850bf084-9ab6-5d44-933e-28e23203b470', 1, 'domain.directory:Person.Registered', '\x7b225f616374223a2250646b324e69617672526250375139696d7437384d48447057776a56527678684659494168714764614f432b65567842655963623078506f5078452b365479414473446852374157494675485a79554337632f42482b4e6e6f51593d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c226f726967696e61746f725f746f706963223a22646f6d61696e2e6469726563746f72793a506572736f6e222c226b6579223a2270686f2d31222c2264657461696c73223a7b2266756c6c5f6e616d65223a225472e1baa76e2056c4836e2042c3ac6e68222c226964656e74696669657273223a7b7d2c2270617274795f6d656d626572223a747275657d2c22736f75726365223a2274657374227d', 3);
INSERT INTO ledger_previous_release.ledger_events VALUES ('850bf084-9ab6-5d44-933e-28e23203b470', 2, 'domain.directory:Person.AffiliationRecorded', '\x7b225f616374223a2250646b324e67695139465356497248387a317159694e5555717239314346366d386f752b7251504837336f4a36367867394a78472f4156444c37496b5245346771524a3679524e726d4268304942587050505142496956367151303d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c226f7267616e69736174696f6e5f6964223a7b225f747970655f223a22757569645f686578222c225f646174615f223a223138353464366439366230643539366261613832336464313738333035303139227d2c22736f75726365223a2274657374227d', 4);
INSERT INTO ledger_previous_release.ledger_events VALUES ('8a4d4a81-65cc-51aa-8f89-77b939ddd5f4', 1, 'domain.directory:Person.Registered', '\x7b225f616374223a2250646b324e67436d4c7572516b422b74666c6c325842444b5747616a746f3156734255444557326c6932737758344a5a666e57514b7a616f6b53507a4a4773504d6e4c2b536f614d7438494d3538697067544b45744a513539674d3d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c226f726967696e61746f725f746f706963223a22646f6d61696e2e6469726563746f72793a506572736f6e222c226b6579223a2270686f2d32222c2264657461696c73223a7b2266756c6c5f6e616d65223a224cc3aa204d696e68204368c3a275222c226964656e74696669657273223a7b7d2c2270617274795f6d656d626572223a747275657d2c22736f75726365223a2274657374227d', 5);
INSERT INTO ledger_previous_release.ledger_events VALUES ('8a4d4a81-65cc-51aa-8f89-77b939ddd5f4', 2, 'domain.directory:Person.AffiliationRecorded', '\x7b225f616374223a2250646b324e73596730644e4636395a43704673356479427a4b4331356e4378336e3971326268596c36746749324b4a51735a4642512f426d34366f4e4c4f30453279414d774c4c525033753871657357694a69504233325954774d3d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c226f7267616e69736174696f6e5f6964223a7b225f747970655f223a22757569645f686578222c225f646174615f223a223138353464366439366230643539366261613832336464313738333035303139227d2c22736f75726365223a2274657374227d', 6);
INSERT INTO ledger_previous_release.ledger_events VALUES ('30d8fa9b-161c-5df7-9c4d-1fd1a2788941', 1, 'domain.directory:Person.Registered', '\x7b225f616374223a2250646b324e6c564d57633133676f334f597a574d304c7778684f4c51453874316e65594a74745266426649504d394966475167482f536b483664683855615778504a56497a65385541306c3975584f52527335375154774c67516f3d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c226f726967696e61746f725f746f706963223a22646f6d61696e2e6469726563746f72793a506572736f6e222c226b6579223a2263616e2d626f222c2264657461696c73223a7b2266756c6c5f6e616d65223a225068e1baa16d20c490e1bba9632044c5a96e67222c226964656e74696669657273223a7b7d2c2270617274795f6d656d626572223a747275657d2c22736f75726365223a2274657374227d', 7);
INSERT INTO ledger_previous_release.ledger_events VALUES ('30d8fa9b-161c-5df7-9c4d-1fd1a2788941', 2, 'domain.directory:Person.AffiliationRecorded', '\x7b225f616374223a2250646b324e694b707a4643654658314e7531796f41314c2f424734532b434c485469567a6a7771506e64503341764b5a786b6b535057384a6d684179354d716c4b305645416a454b71594f793843365138524355465778347877733d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c226f7267616e69736174696f6e5f6964223a7b225f747970655f223a22757569645f686578222c225f646174615f223a223138353464366439366230643539366261613832336464313738333035303139227d2c22736f75726365223a2274657374227d', 8);
INSERT INTO ledger_previous_release.ledger_events VALUES ('c4ee9173-ac77-5f19-b672-1e8a12168070', 1, 'domain.directory:Person.Registered', '\x7b225f616374223a2250646b324e6878534668655277367332662f464a5835493876714b7a5964426b556e56413170386d486a486f46663179446139754a30746b38344b6c444e2f487a4d6e6232796e6556364b6a517268654b3264694c44754f6741553d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c226f726967696e61746f725f746f706963223a22646f6d61696e2e6469726563746f72793a506572736f6e222c226b6579223a2276616e2d746875222c2264657461696c73223a7b2266756c6c5f6e616d65223a2256c3b5205468e1bb8b20456d222c226964656e74696669657273223a7b7d2c2270617274795f6d656d626572223a66616c73657d2c22736f75726365223a2274657374227d', 9);
INSERT INTO ledger_previous_release.ledger_events VALUES ('c4ee9173-ac77-5f19-b672-1e8a12168070', 2, 'domain.directory:Person.AffiliationRecorded', '\x7b225f616374223a2250646b324e6f303031644b6d4f312f71756454463748546376576834355a335430617a7a77394d495637795332666a327050526a42497134304750394d4835514a4d654f6f46517634457241616132444548516c57747a4e5451343d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c226f7267616e69736174696f6e5f6964223a7b225f747970655f223a22757569645f686578222c225f646174615f223a223138353464366439366230643539366261613832336464313738333035303139227d2c22736f75726365223a2274657374227d', 10);
INSERT INTO ledger_previous_release.ledger_events VALUES ('4120034f-ada3-577c-b828-215da18a3881', 1, 'domain.directory:Person.Registered', '\x7b225f616374223a2250646b324e6d483857516a5a537a674872597174713136787544686f496c3939502b575135504362384e4d573357785a6d473346366e6b6575396c78785375314a5a6f7064455a49625373442b352b724b62726c3676695969514d3d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c226f726967696e61746f725f746f706963223a22646f6d61696e2e6469726563746f72793a506572736f6e222c226b6579223a2264616e672d7579222c2264657461696c73223a7b2266756c6c5f6e616d65223a22486fc3a06e672056c4836e205068c3ba63222c226964656e74696669657273223a7b7d2c2270617274795f6d656d626572223a747275657d2c22736f75726365223a2274657374227d', 11);
INSERT INTO ledger_previous_release.ledger_events VALUES ('4120034f-ada3-577c-b828-215da18a3881', 2, 'domain.directory:Person.AffiliationRecorded', '\x7b225f616374223a2250646b324e684e62777a53666c424d627175735a784f4332373344446c796276587078627331796c345a376e7457504e4e746a37415733683770796a5a476d537461387a4d727077713247453466495055334d30636864504241733d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c226f7267616e69736174696f6e5f6964223a7b225f747970655f223a22757569645f686578222c225f646174615f223a226438333035356661623432343536616439373539366563383762626239646633227d2c22736f75726365223a2274657374227d', 12);
INSERT INTO ledger_previous_release.ledger_events VALUES ('0f49ef39-0722-5943-b9e2-b99fea172e2b', 1, 'domain.directory:Person.Registered', '\x7b225f616374223a2250646b324e707570646856434763726c62737075593141754e726a2f456e30744850396367614b76746c6b474e7a474c6e364b30593237746d4b4965507a3053614434437a4d4939446a6c6f484d48564e6a497052592b6b7667773d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c226f726967696e61746f725f746f706963223a22646f6d61696e2e6469726563746f72793a506572736f6e222c226b6579223a2274702d6368752d74696368222c2264657461696c73223a7b2266756c6c5f6e616d65223a22c490e1bab76e67205175e1bb9163204769616e67222c226964656e74696669657273223a7b7d2c2270617274795f6d656d626572223a747275657d2c22736f75726365223a2274657374227d', 13);
INSERT INTO ledger_previous_release.ledger_events VALUES ('0f49ef39-0722-5943-b9e2-b99fea172e2b', 2, 'domain.directory:Person.AffiliationRecorded', '\x7b225f616374223a2250646b324e7036614b673230696c422f4a345050734947796a74775673584d52796d776e383247396448645a7462666d2b596737754f6852736e743670315669686b317a4c5269694a2f2f436b762b376c3467567056484d3467773d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c226f7267616e69736174696f6e5f6964223a7b225f747970655f223a22757569645f686578222c225f646174615f223a223965653261666461623061313565653161386637326266346565646535383463227d2c22736f75726365223a2274657374227d', 14);
INSERT INTO ledger_previous_release.ledger_events VALUES ('0f49ef39-0722-5943-b9e2-b99fea172e2b', 3, 'domain.directory:Person.AffiliationRecorded', '\x7b225f616374223a2250646b324e6c2f63625861732b30724d4b79617a6b7246506839457477487562304657587351684d383471506a3271693073634d67756d4636364f37447171616e7345674265346f2f3332363454314e4e6c5169514554357467453d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c226f7267616e69736174696f6e5f6964223a7b225f747970655f223a22757569645f686578222c225f646174615f223a223863343036646335383364323534666638353538623561306532386465623339227d2c22736f75726365223a2274657374227d', 15);
INSERT INTO ledger_previous_release.ledger_events VALUES ('19e0ccfb-6371-5724-b3e8-bd633afb17db', 1, 'domain.directory:Person.Registered', '\x7b225f616374223a2250646b324e755650706b66506f6d4f456c45376630776c6d4268642b515a434b2f4847536b2b3042495a3466474f62344449676a456371525a6f39654c2b7a4352714978546c575264624b396f3041654147685a734b2f525177343d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c226f726967696e61746f725f746f706963223a22646f6d61696e2e6469726563746f72793a506572736f6e222c226b6579223a2274702d70686f222c2264657461696c73223a7b2266756c6c5f6e616d65223a2242c3b969205468e1bb8b2048e1baa16e68222c226964656e74696669657273223a7b7d2c2270617274795f6d656d626572223a747275657d2c22736f75726365223a2274657374227d', 16);
INSERT INTO ledger_previous_release.ledger_events VALUES ('19e0ccfb-6371-5724-b3e8-bd633afb17db', 2, 'domain.directory:Person.AffiliationRecorded', '\x7b225f616374223a2250646b324e6d6e424b49762f494b6945474d4d4f307033792b6137624e546b47326f72315839793946667930556e6f74696d4249356f4a5947334f526c57566763516e526574646a6c46304d4c4f756c542b5a5857726b736a77453d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c226f7267616e69736174696f6e5f6964223a7b225f747970655f223a22757569645f686578222c225f646174615f223a223965653261666461623061313565653161386637326266346565646535383463227d2c22736f75726365223a2274657374227d', 17);
INSERT INTO ledger_previous_release.ledger_events VALUES ('9ee2afda-b0a1-5ee1-a8f7-2bf4eede584c', 1, 'domain.directory:Organisation.Registered', '\x7b225f616374223a2250646b324e6b4d746953415553306a564165357235763767396e6552487a61384d4463774d466238735a4969693330704b4a66634f6d726c395a475247372b6f4e4a2f6f5a5049506e644c52464c662f4e53343659594e506851633d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c226f726967696e61746f725f746f706963223a22646f6d61696e2e6469726563746f72793a4f7267616e69736174696f6e222c226b6579223a2268636d2d75626e64222c2264657461696c73223a7b226e616d65223a22e1bba6792062616e206e68c3a26e2064c3a26e205468c3a06e68207068e1bb912048e1bb93204368c3ad204d696e68222c226b696e64223a2270656f706c65735f636f6d6d6974746565222c226c6576656c223a2270726f76696e6365222c227375706572696f72223a6e756c6c2c2270617274795f636f6d6d6974746565223a2268636d2d7468616e682d7579222c2276616c69645f66726f6d223a7b225f747970655f223a22646174655f69736f222c225f646174615f223a22323032352d30372d3031227d2c2276616c69645f746f223a6e756c6c2c2273756363657373696f6e223a5b5d7d2c22736f75726365223a2274657374227d', 18);
INSERT INTO ledger_previous_release.ledger_events VALUES ('9ee2afda-b0a1-5ee1-a8f7-2bf4eede584c', 2, 'domain.directory:Organisation.PositionAssigned', '\x7b225f616374223a2250646b324e716f6957795175424559794f472f6e43684f6172317a786e4f63644e587535557864706b424e6f574976586b5962624d61314a48704e69344a78713762327a743771666c775157374963664b7539765254624575414d3d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c22706f736974696f6e223a7b226b6579223a2274702d6368752d746963682f686561642f323032352d30372d3031222c22706572736f6e5f6964223a7b225f747970655f223a22757569645f686578222c225f646174615f223a223066343965663339303732323539343362396532623939666561313732653262227d2c22726f6c65223a2268656164222c227469746c65223a224368e1bba72074e1bb8b6368222c2276616c69645f66726f6d223a7b225f747970655f223a22646174655f69736f222c225f646174615f223a22323032352d30372d3031227d2c2276616c69645f746f223a6e756c6c7d2c22736f75726365223a2274657374227d', 19);
INSERT INTO ledger_previous_release.ledger_events VALUES ('9ee2afda-b0a1-5ee1-a8f7-2bf4eede584c', 3, 'domain.directory:Organisation.PositionAssigned', '\x7b225f616374223a2250646b324e74617942646d6e35423770624c2f77436f7847394d696161426c694b32612f726f77743872755371346e706d6a6642506a586b62464968503454436979706f79556f4f6c43793267457173345264577753754e3577413d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c22706f736974696f6e223a7b226b6579223a2274702d70686f2f6465707574792f323032352d30372d3031222c22706572736f6e5f6964223a7b225f747970655f223a22757569645f686578222c225f646174615f223a223139653063636662363337313537323462336538626436333361666231376462227d2c22726f6c65223a22646570757479222c227469746c65223a225068c3b3204368e1bba72074e1bb8b6368222c2276616c69645f66726f6d223a7b225f747970655f223a22646174655f69736f222c225f646174615f223a22323032352d30372d3031227d2c2276616c69645f746f223a6e756c6c7d2c22736f75726365223a2274657374227d', 20);
INSERT INTO ledger_previous_release.ledger_events VALUES ('8c406dc5-83d2-54ff-8558-b5a0e28deb39', 1, 'domain.directory:Organisation.Registered', '\x7b225f616374223a2250646b324e6c2b6e6141554d46784b327843557248493949476f516d4f636b4239646a48733861737a7451324d643230356964487449566c4f414448724c445541455666624b46383573685530614f7848793770476846645677633d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c226f726967696e61746f725f746f706963223a22646f6d61696e2e6469726563746f72793a4f7267616e69736174696f6e222c226b6579223a2268636d2d7468616e682d7579222c2264657461696c73223a7b226e616d65223a225468c3a06e6820e1bba779205468c3a06e68207068e1bb912048e1bb93204368c3ad204d696e68222c226b696e64223a2270617274795f636f6d6d6974746565222c226c6576656c223a2270726f76696e6365222c227375706572696f72223a6e756c6c2c2270617274795f636f6d6d6974746565223a2268636d2d7468616e682d7579222c2276616c69645f66726f6d223a7b225f747970655f223a22646174655f69736f222c225f646174615f223a22323032352d30372d3031227d2c2276616c69645f746f223a6e756c6c2c2273756363657373696f6e223a5b5d7d2c22736f75726365223a2274657374227d', 21);
INSERT INTO ledger_previous_release.ledger_events VALUES ('8c406dc5-83d2-54ff-8558-b5a0e28deb39', 2, 'domain.directory:Organisation.PositionAssigned', '\x7b225f616374223a2250646b324e7332764d6e6a4e394e695178313577655470456f594f53642f66694955715048766d6165384277504e64557a3952777164314e5378677a6856677a6343764142334f366b62524a704d555250444463626878623551493d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c22706f736974696f6e223a7b226b6579223a2274702d6368752d746963682f70617274795f636f6d6d69747465652f323032352d30372d3031222c22706572736f6e5f6964223a7b225f747970655f223a22757569645f686578222c225f646174615f223a223066343965663339303732323539343362396532623939666561313732653262227d2c22726f6c65223a2270617274795f636f6d6d6974746565222c227469746c65223a225468c3a06e6820e1bba779207669c3aa6e222c2276616c69645f66726f6d223a7b225f747970655f223a22646174655f69736f222c225f646174615f223a22323032352d30372d3031227d2c2276616c69645f746f223a6e756c6c7d2c22736f75726365223a2274657374227d', 22);
INSERT INTO ledger_previous_release.ledger_events VALUES ('1854d6d9-6b0d-596b-aa82-3dd178305019', 1, 'domain.directory:Organisation.Registered', '\x7b225f616374223a2250646b324e6f4c66636e6565465454695663745933637968625a4e625848496b31567a784933724e64496b2b5a4b575a6c773932444637594d7a61684b6141636673506a4f62514f7332662f6e50794430302f41657a73594967513d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c226f726967696e61746f725f746f706963223a22646f6d61696e2e6469726563746f72793a4f7267616e69736174696f6e222c226b6579223a2262656e2d7468616e682d75626e64222c2264657461696c73223a7b226e616d65223a22e1bba6792062616e206e68c3a26e2064c3a26e207068c6b0e1bb9d6e672042e1babf6e205468c3a06e68222c226b696e64223a2270656f706c65735f636f6d6d6974746565222c226c6576656c223a22636f6d6d756e65222c227375706572696f72223a2268636d2d75626e64222c2270617274795f636f6d6d6974746565223a2262656e2d7468616e682d64616e672d7579222c2276616c69645f66726f6d223a7b225f747970655f223a22646174655f69736f222c225f646174615f223a22323032352d30372d3031227d2c2276616c69645f746f223a6e756c6c2c2273756363657373696f6e223a5b5d7d2c22736f75726365223a2274657374227d', 23);
INSERT INTO ledger_previous_release.ledger_events VALUES ('1854d6d9-6b0d-596b-aa82-3dd178305019', 2, 'domain.directory:Organisation.PositionAssigned', '\x7b225f616374223a2250646b324e687a772f314173773643755370465676324a47434c545276307857546b454168586d5736497175443366365646746d2b62636d5068674357564a613174503165554a5a6a64376879785178536b7637786c30456141413d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c22706f736974696f6e223a7b226b6579223a226368752d746963682f686561642f323032352d30372d3031222c22706572736f6e5f6964223a7b225f747970655f223a22757569645f686578222c225f646174615f223a223966306263356237323661653531336139323034663661353830326432643361227d2c22726f6c65223a2268656164222c227469746c65223a224368e1bba72074e1bb8b6368222c2276616c69645f66726f6d223a7b225f747970655f223a22646174655f69736f222c225f646174615f223a22323032352d30372d3031227d2c2276616c69645f746f223a6e756c6c7d2c22736f75726365223a2274657374227d', 24);
INSERT INTO ledger_previous_release.ledger_events VALUES ('1854d6d9-6b0d-596b-aa82-3dd178305019', 3, 'domain.directory:Organisation.PositionAssigned', '\x7b225f616374223a2250646b324e6946636a7970666b65484273645469314a6f4a456e41784b2b56755862316b392f36346452696b483142323972567a75565146417559357773675163497a37326d79672b3038614c454c3752525461355765763867343d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c22706f736974696f6e223a7b226b6579223a2270686f2d312f6465707574792f323032352d30372d3031222c22706572736f6e5f6964223a7b225f747970655f223a22757569645f686578222c225f646174615f223a223835306266303834396162363564343439333365323865323332303362343730227d2c22726f6c65223a22646570757479222c227469746c65223a225068c3b3204368e1bba72074e1bb8b6368222c2276616c69645f66726f6d223a7b225f747970655f223a22646174655f69736f222c225f646174615f223a22323032352d30372d3031227d2c2276616c69645f746f223a6e756c6c7d2c22736f75726365223a2274657374227d', 25);
INSERT INTO ledger_previous_release.ledger_events VALUES ('1854d6d9-6b0d-596b-aa82-3dd178305019', 4, 'domain.directory:Organisation.PositionAssigned', '\x7b225f616374223a2250646b324e6d52525739764e5664666c762b6d34714e334146626867466c6d6148725a62636b715077314468367a64674d4634534545726a6e6a414c427442617a39686b34674e4a594a666e564741664d4f2b4d537853536a77553d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c22706f736974696f6e223a7b226b6579223a2270686f2d322f6465707574792f323032352d30372d3031222c22706572736f6e5f6964223a7b225f747970655f223a22757569645f686578222c225f646174615f223a223861346434613831363563633531616138663839373762393339646464356634227d2c22726f6c65223a22646570757479222c227469746c65223a225068c3b3204368e1bba72074e1bb8b6368222c2276616c69645f66726f6d223a7b225f747970655f223a22646174655f69736f222c225f646174615f223a22323032352d30372d3031227d2c2276616c69645f746f223a6e756c6c7d2c22736f75726365223a2274657374227d', 26);
INSERT INTO ledger_previous_release.ledger_events VALUES ('1854d6d9-6b0d-596b-aa82-3dd178305019', 5, 'domain.directory:Organisation.PositionAssigned', '\x7b225f616374223a2250646b324e726d4b76504f532b4b374941304c704c774e706e4b6548577a6f34323935746231634c71597677437242392f7a7a3872356f4c6c5570593079684c494f465330485a6478753051516e65456d73677973726e4d7041553d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c22706f736974696f6e223a7b226b6579223a2263616e2d626f2f73746166662f323032352d30372d3031222c22706572736f6e5f6964223a7b225f747970655f223a22757569645f686578222c225f646174615f223a223330643866613962313631633564663739633464316664316132373838393431227d2c22726f6c65223a227374616666222c227469746c65223a2243687579c3aa6e207669c3aa6e222c2276616c69645f66726f6d223a7b225f747970655f223a22646174655f69736f222c225f646174615f223a22323032352d30372d3031227d2c2276616c69645f746f223a6e756c6c7d2c22736f75726365223a2274657374227d', 27);
INSERT INTO ledger_previous_release.ledger_events VALUES ('1854d6d9-6b0d-596b-aa82-3dd178305019', 6, 'domain.directory:Organisation.PositionAssigned', '\x7b225f616374223a2250646b324e674849746653724d754d76324c7932464f66554c324d4b3343574f4a58784254486438694662393747416b2f6176714864596b32313637657430487a4832415a2b66524662612b5837633359316d69346a2b366f51633d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c22706f736974696f6e223a7b226b6579223a2276616e2d7468752f636c65726b2f323032352d30372d3031222c22706572736f6e5f6964223a7b225f747970655f223a22757569645f686578222c225f646174615f223a226334656539313733616337373566313962363732316538613132313638303730227d2c22726f6c65223a22636c65726b222c227469746c65223a2256c4836e207468c6b0222c2276616c69645f66726f6d223a7b225f747970655f223a22646174655f69736f222c225f646174615f223a22323032352d30372d3031227d2c2276616c69645f746f223a6e756c6c7d2c22736f75726365223a2274657374227d', 28);
INSERT INTO ledger_previous_release.ledger_events VALUES ('d83055fa-b424-56ad-9759-6ec87bbb9df3', 1, 'domain.directory:Organisation.Registered', '\x7b225f616374223a2250646b324e766a484d4d7655476269557646467a3130636e386438375936444275696c6e597965796b68747a72683072334c534e7753746371646777657a41516561666b6d7a67735a6b705469683661324c51536c4e6b547a67553d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c226f726967696e61746f725f746f706963223a22646f6d61696e2e6469726563746f72793a4f7267616e69736174696f6e222c226b6579223a2262656e2d7468616e682d64616e672d7579222c2264657461696c73223a7b226e616d65223a22c490e1baa36e6720e1bba779207068c6b0e1bb9d6e672042e1babf6e205468c3a06e68222c226b696e64223a2270617274795f636f6d6d6974746565222c226c6576656c223a22636f6d6d756e65222c227375706572696f72223a2268636d2d7468616e682d7579222c2270617274795f636f6d6d6974746565223a2262656e2d7468616e682d64616e672d7579222c2276616c69645f66726f6d223a7b225f747970655f223a22646174655f69736f222c225f646174615f223a22323032352d30372d3031227d2c2276616c69645f746f223a6e756c6c2c2273756363657373696f6e223a5b5d7d2c22736f75726365223a2274657374227d', 29);
INSERT INTO ledger_previous_release.ledger_events VALUES ('d83055fa-b424-56ad-9759-6ec87bbb9df3', 2, 'domain.directory:Organisation.PositionAssigned', '\x7b225f616374223a2250646b324e6f4b74426b364a6d7341464f467142304e34534e6769674b5839514d655379774e6261507057736b6b56527433387a4350693671475154476673376b6e704e677573436233564c45304543762b5a4d6f704f5958514d3d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c22706f736974696f6e223a7b226b6579223a2264616e672d75792f70617274795f636f6d6d69747465652f323032352d30372d3031222c22706572736f6e5f6964223a7b225f747970655f223a22757569645f686578222c225f646174615f223a223431323030333466616461333537376362383238323135646131386133383831227d2c22726f6c65223a2270617274795f636f6d6d6974746565222c227469746c65223a22c490e1baa36e6720e1bba779207669c3aa6e222c2276616c69645f66726f6d223a7b225f747970655f223a22646174655f69736f222c225f646174615f223a22323032352d30372d3031227d2c2276616c69645f746f223a6e756c6c7d2c22736f75726365223a2274657374227d', 30);
INSERT INTO ledger_previous_release.ledger_events VALUES ('c505a553-d3ce-4feb-bbe5-fbc8806adcfd', 1, 'domain.initiative:Initiative.Drafted', '\x7b225f616374223a2250646b324e717a5641504e68676b484f796864727949746f466d38364f43417450417a774e6943712b634962327734433648555330446d2f383037342f507a6e4e36746d43584752736a4c67694a69762f437354746349522f676f3d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c226f726967696e61746f725f746f706963223a22646f6d61696e2e696e69746961746976653a496e6974696174697665222c226163746f72223a7b22706572736f6e5f6964223a2233306438666139622d313631632d356466372d396334642d316664316132373838393431222c226e616d65223a225068e1baa16d20c490e1bba9632044c5a96e67222c22726f6c65223a227374616666222c226f7267616e69736174696f6e5f6964223a2231383534643664392d366230642d353936622d616138322d336464313738333035303139227d2c22726571756573745f6964223a2234653133313566622d333133612d346537332d623133382d613762346566653535643061222c227469746c65223a224de1bb99742063e1bbad6120c49169e1bb876e2074e1bbad222c22726567696d65223a22726567756c6172222c22656d706c6f79696e675f6f7267616e69736174696f6e5f6964223a7b225f747970655f223a22757569645f686578222c225f646174615f223a223138353464366439366230643539366261613832336464313738333035303139227d2c2270726f706f7365725f696473223a5b7b225f747970655f223a22757569645f686578222c225f646174615f223a223330643866613962313631633564663739633464316664316132373838393431227d5d2c2273756d6d617279223a22227d', 31);
INSERT INTO ledger_previous_release.ledger_events VALUES ('c505a553-d3ce-4feb-bbe5-fbc8806adcfd', 2, 'domain.initiative:Initiative.Submitted', '\x7b225f616374223a2250646b324e6b777546754a70483465334739726d4e6745724e3142704b687342333432474c347531766f4c32637144753348754d2b7766796d2b476a314e787753685970544d6267556e564d6b77434f37487153756944422b51733d222c2274696d657374616d70223a7b225f747970655f223a226461746574696d655f69736f222c225f646174615f223a22323032362d30332d30325430333a30303a30302b30303a3030227d2c226163746f72223a7b22706572736f6e5f6964223a2233306438666139622d313631632d356466372d396334642d316664316132373838393431222c226e616d65223a225068e1baa16d20c490e1bba9632044c5a96e67222c22726f6c65223a227374616666222c226f7267616e69736174696f6e5f6964223a2231383534643664392d366230642d353936622d616138322d336464313738333035303139227d2c22726571756573745f6964223a2263343032313634652d303232372d343933632d626464352d346664623431343239313335222c226164647265737365655f6964223a7b225f747970655f223a22757569645f686578222c225f646174615f223a223138353464366439366230643539366261613832336464313738333035303139227d2c2270726f706f73616c223a7b226e6563657373697479223a225468e1bba72074e1bba5632063e1baa570207068c3a970206bc3a96f2064c3a0692c206e67c6b0e1bb9d692064c3a26e207068e1baa36920c49169206ce1baa169206e6869e1bb8175206ce1baa76e2e222c22707572706f7365223a2252c3ba74206e67e1baaf6e207468e1bb9d69206769616e2063e1baa570207068c3a970207875e1bb916e672033206e67c3a0792e222c22626f74746c656e65636b223a22726567756c617465645f6275745f756e7375697461626c65222c2272756c65735f636f6e6365726e6564223a5b22517579e1babf7420c491e1bb8b6e682031322f323032302f51c4902d55424e44225d2c22636f6e74656e74223a225469e1babf70206e68e1baad6e2068e1bb932073c6a1207472e1bbb16320747579e1babf6e2076c3a0206c69c3aa6e207468c3b46e672e222c227461736b73223a5b2258c3a2792064e1bbb16e6720717579207472c3ac6e68222c22c490c3a06f2074e1baa16f2063c3a16e2062e1bb99225d2c22736f6c7574696f6e73223a224de1bb99742063e1bbad61206c69c3aa6e207468c3b46e6720c49169e1bb876e2074e1bbad2e222c2273636f7065223a225068c6b0e1bb9d6e672042e1babf6e205468c3a06e68222c227375626a65637473223a2248e1bb99206b696e6820646f616e68222c22706c616e6e65645f7374617274223a7b225f747970655f223a22646174655f69736f222c225f646174615f223a22323032362d30342d3031227d2c22706c616e6e65645f656e64223a7b225f747970655f223a22646174655f69736f222c225f646174615f223a22323032362d31322d3331227d2c227265736f7572636573223a22322063c3a16e2062e1bb992c2031206dc3a179206368e1bba7222c226275646765745f736f75726365223a224e67c3a26e2073c3a16368207068c6b0e1bb9d6e67222c22666561736962696c697479223a2243616f222c22706f7369746976655f696d7061637473223a224769e1baa36d207468e1bb9d69206769616e206368e1bb9d2e222c226e656761746976655f696d7061637473223a22436869207068c3ad20c491c3a06f2074e1baa16f2e222c2265787065637465645f726573756c7473223a5b225468e1bb9d69206769616e2063e1baa570207068c3a9702033206e67c3a079225d2c226f7074696f6e73223a5b7b227469746c65223a225472e1bbb16320747579e1babf6e222c226465736372697074696f6e223a224ee1bb99702068e1bb932073c6a1207175612063e1bb956e67227d2c7b227469746c65223a224769e1bbaf206e677579c3aa6e222c226465736372697074696f6e223a224b68c3b46e67207468617920c491e1bb9569227d5d2c2263686f73656e5f6f7074696f6e223a225472e1bbb16320747579e1babf6e222c2263686f73656e5f6f7074696f6e5f726561736f6e223a224e68616e68206e68e1baa5742e222c22776f7273745f63617365223a2248e1bb87207468e1bb916e67206ce1bb97692c2071756179206ce1baa16920717579207472c3ac6e68206769e1baa5792e222c2272656d6564696573223a22447579207472c3ac20736f6e6720736f6e67207175e1baa779206769e1baa5792074726f6e672033207468c3a16e672e222c226e6f5f73656c665f696e746572657374223a747275657d7d', 32);


--
-- Data for Name: ledger_index_nodes; Type: TABLE DATA; Schema: ledger_previous_release; Owner: -
--

INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (4, '\x00', 32, '\x8173c4d8479856fbbe5125e6d30bfb511f82232c8f1d1d4a450a413411cb0eaf', '\x04a206ea6e948e44961d441063c4f7fcfdab3d55c37c4f43867dd15d35c5f658', 2, 29);
INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (5, '\x10', 32, '\xc00d608f397160d4fe52b4a8ee521e32b398f987e9f3783bcecf3043641ac010', '\x1589d07e238ce19dbf9eacd6b36e1aad84cffbaa677133031f81379a799bcfac', 3, 14);
INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (5, '\x18', 32, '\x8ca0f64d7b00bec6afdbc483c9c10d09eab875d683251495ac1a4350fa86a64e', '\x1de39e0ec1239244a1c503747683686f9a25dffe0960be7351c55a965ba4b50d', 2, 21);
INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (4, '\x10', 32, '\x733a7ff7ce3d491ba1bf632d669e8849f93f33b4c8827edce393ab37313600ef', NULL, NULL, NULL);
INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (3, '\x00', 32, '\xae43927136df57925f9176789c080459f1ecf773921149f33a9f6064c976a7fe', NULL, NULL, NULL);
INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (3, '\x20', 32, '\x33c4b6f31f6a0ae95c8fb3433d37c7272b4b5aff269b921d44ebff00c5ca8de3', '\x2a471ebf21711cb190674028f9872190a1e877f36e840e3b419e1172084f12f4', 2, 7);
INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (2, '\x00', 32, '\x44ea1af0644be8824dfa3aa78760370a1c1f6c1acc9b40a9ddcb34a7d88932e3', NULL, NULL, NULL);
INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (4, '\x40', 32, '\x6457bae9d09afa7467da9f55693f0b5bc57a1aa97e2827e3040b96ed0c272c57', '\x47aff9a16be0d02398d31390909fac4e08ba9061d1bd9325edfa254a1be4de44', 2, 11);
INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (4, '\x50', 32, '\xecce5497f696c64338d47628509c1f813b6658d44556db5995704ccb4c8bf313', '\x5bdffb982dcd8d5f88ae8813c6e599200b1abece2b7944ceb02768b4c2c7b96a', 2, 3);
INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (3, '\x40', 32, '\x2e0dc7d3a881c68aa026b9e80082450f2f1854558b71acdeb168d9d737f23307', NULL, NULL, NULL);
INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (6, '\x68', 32, '\x11bd8a8f2343f117d4c760674785f569bcaf75f697ebdb01d22d616cd5b25165', '\x6a21edc98986f6c87355d9df289c4f4d326264da3b57a6d33e0c0ff718c9570b', 3, 19);
INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (6, '\x6c', 32, '\x1dd1533a71480e75a4b17fbe6ef61d8e679f4976a1aed2c3f7315d9ef0966699', '\x6d23fc02056bedd62d953ca7e55e6167014b5bd09afc49b6f4c22d4231514707', 2, 5);
INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (5, '\x68', 32, '\x0120274218aff4379a19eda780d75a8abf72c5048eaef05fd17397e7d6ca7187', NULL, NULL, NULL);
INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (4, '\x60', 32, '\x451ab2b130b4c48b251cf99df22272fda3925f0375beabe2a1b001cbdc7c8956', NULL, NULL, NULL);
INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (4, '\x70', 32, '\x20bd8e8809bb52a1ca7860d96419c1e12b11fdf3f8dc0d44becfe9a8286f7458', '\x7f4681212682287352c74ae2bd7966d1873fe86694727ff7360a2f4e947fdc3c', 2, 1);
INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (3, '\x60', 32, '\x458de075c0bb139766e1de409c83011b81759aaee56e87499f7b4d683bb40e3f', NULL, NULL, NULL);
INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (2, '\x40', 32, '\x238f511f0ce82ddca57e64c151a3c0d60500851b3b247687a01508b90c262538', NULL, NULL, NULL);
INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (1, '\x00', 32, '\xa6291f4c2d2c169f1033b16e0e6f62e050b30d34a358bb63e4e279b83357ce89', NULL, NULL, NULL);
INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (5, '\x80', 32, '\x574e2f0eefcf2012e8d24d4a8a3794df729de6a446638ea7a7709d86dcf50708', '\x80814ecf9b4e37f239571ed8c9f6e7d157aff8d704179c1ec55f1efa2aea9792', 6, 27);
INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (5, '\x88', 32, '\x61b2a9e7a9a038d3b57ca9d917bf43478debe5849c10116946f0520eebf04ec1', '\x8c16a5e133f2be3ceb61822e8eff829e0fec15823af30b4233dba642fd244e42', 2, 31);
INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (4, '\x80', 32, '\xdb6b40c6cc86c7c11202f3371f45b1668ac83c19a375228347c30f11c667018b', NULL, NULL, NULL);
INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (3, '\x80', 32, '\xeda4d589b2a804e149bf12a70dfbfa9fa055998f5d76bbe8adb4f4f82caebc91', NULL, NULL, NULL);
INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (5, '\xb0', 32, '\x8902f36917178408e9d7fd3932c09675bd625e50800715db825f7a23eb276b08', '\xb3231e2abdde8802d2d4e9f95eca0177fd3931c70d042da44f1028f8dad2cfda', 2, 9);
INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (5, '\xb8', 32, '\x88e0ceb3954b37081dee55361889e7d36dd96d1a2253e711a9e94d8a80b3e468', '\xbf4f31ff40e221d2768741189045228af2203bf7b15aff597425619e635ffc9d', 2, 16);
INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (4, '\xb0', 32, '\x49825d8fc2181d3ca9aec84e6377d5d92865841d1e63dc38d6387c7358e24891', NULL, NULL, NULL);
INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (3, '\xa0', 32, '\x27616cf98df5bad1634c8084f4f550cae8a262b5691e8e62e5428fb2bb9a1599', NULL, NULL, NULL);
INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (2, '\x80', 32, '\xb21403728ceb2a0f0bf5c7790e62f9d3a981a20bcb207ef6a9f904ce0b169f88', NULL, NULL, NULL);
INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (1, '\x80', 32, '\x8886b8dbf85493834b6c79f142f3b06e1c16b765702ebebaf929860af85eac88', NULL, NULL, NULL);
INSERT INTO ledger_previous_release.ledger_index_nodes VALUES (0, '\x', 32, '\x3660ae150bf2c9758f667120f3162afeae8f675e4e58df6b888d9660be5248c7', NULL, NULL, NULL);


--
-- Data for Name: ledger_leaves; Type: TABLE DATA; Schema: ledger_previous_release; Owner: -
--

INSERT INTO ledger_previous_release.ledger_leaves VALUES (0, 1, '9f0bc5b7-26ae-513a-9204-f6a5802d2d3a', 1, '\xdb45c4c42733fac6bf58f7e14da8bf9d3d97aef54619c4c106105faec6185655');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (1, 2, '9f0bc5b7-26ae-513a-9204-f6a5802d2d3a', 2, '\x78b9a81b80fab29b30421b504f45180185b7471d3378ca852d3f35d1be5af8c8');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (2, 3, '850bf084-9ab6-5d44-933e-28e23203b470', 1, '\x0855329137967273749ad23362e1ca4db668a1629ea6f5357220aa8d094adcda');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (3, 4, '850bf084-9ab6-5d44-933e-28e23203b470', 2, '\x627350672e51ecea0f632cda93bb035dfe9132c7c828314e44adbf19dcec2976');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (4, 5, '8a4d4a81-65cc-51aa-8f89-77b939ddd5f4', 1, '\x5c0cbd39411f1a6bbde5d6c2a10b7d6426092f3e8dec1deffba2f66056472afc');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (5, 6, '8a4d4a81-65cc-51aa-8f89-77b939ddd5f4', 2, '\xbe9fcc61d49142bca8a60133b1e4a21f744079191f5ad42fe8e89060a3da2906');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (6, 7, '30d8fa9b-161c-5df7-9c4d-1fd1a2788941', 1, '\x35371e36e18a53151f70eb3160ebeca2f340f08202fce76e7435d2aa839544a0');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (7, 8, '30d8fa9b-161c-5df7-9c4d-1fd1a2788941', 2, '\xd71824455ac892e6a305d87ab5b34661c976b81ccb637365b447a9bdecd78930');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (8, 9, 'c4ee9173-ac77-5f19-b672-1e8a12168070', 1, '\xe264e6615813749a40b7e9ed92ee1d2d5ade903b5677d3596167aa2d3a10ef9f');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (9, 10, 'c4ee9173-ac77-5f19-b672-1e8a12168070', 2, '\x53cb43b79431dc189d7a83744790299801cbeb33ba96aea08044da7c6724e69b');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (10, 11, '4120034f-ada3-577c-b828-215da18a3881', 1, '\x33d57ecbb92fab9dd9d1f1b700c97f61e96aaa807ac3ebb76fad6ab7d339b7cc');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (11, 12, '4120034f-ada3-577c-b828-215da18a3881', 2, '\xe60e8a6134c2399dacaa44cb25add74c9c91a1dc62eab336edfd973d8069a291');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (12, 13, '0f49ef39-0722-5943-b9e2-b99fea172e2b', 1, '\xeb342349a955bb763a79affd5aeed6deb4eee457c0de9c9323be883280942098');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (13, 14, '0f49ef39-0722-5943-b9e2-b99fea172e2b', 2, '\x37b0e8c8185824e3f19864c9b76f4acb884787adeb8700efefcf66650b5fa1b5');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (14, 15, '0f49ef39-0722-5943-b9e2-b99fea172e2b', 3, '\x4f3c100bb43471cf15543b71f30d00c5e529537767b51b8c0a89fbdc74e29800');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (15, 16, '19e0ccfb-6371-5724-b3e8-bd633afb17db', 1, '\x301a33b475794ad1eb7032b447c912135231bc138a724d61ad8130d309d8832f');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (16, 17, '19e0ccfb-6371-5724-b3e8-bd633afb17db', 2, '\xa5b4608edf06aac0cf3a933e56a2116625fc66019e8646d0203a54f09b3f2478');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (17, 18, '9ee2afda-b0a1-5ee1-a8f7-2bf4eede584c', 1, '\x5089e13662153fde877a81601ea55c3072c67320d64c10779702e99efe867325');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (18, 19, '9ee2afda-b0a1-5ee1-a8f7-2bf4eede584c', 2, '\x64c0790eb473e7259260c9a597732e119c500b748bb6315f1a12349e89441443');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (19, 20, '9ee2afda-b0a1-5ee1-a8f7-2bf4eede584c', 3, '\xd6699ced57569b95a835e86d929e9290d42df2f656eaec4bc901ea81841cb5a3');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (20, 21, '8c406dc5-83d2-54ff-8558-b5a0e28deb39', 1, '\x20133ef5c6b3f72fdee552f1b74ea3d058f886f8c3e8695c6e98464ce8c96d89');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (21, 22, '8c406dc5-83d2-54ff-8558-b5a0e28deb39', 2, '\x8086674a97fa73119dc1360be1363cbe60768edd7a8255f695be18c4f5af3cb9');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (22, 23, '1854d6d9-6b0d-596b-aa82-3dd178305019', 1, '\xb066c2ab77112518d2cd5c458c1cec9b29a05ea1859219da37ef5c3748a00595');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (23, 24, '1854d6d9-6b0d-596b-aa82-3dd178305019', 2, '\x3027f94d1d9a6823e784428db471e0041cd7ee17025dae6b06d30587bdbafb6f');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (24, 25, '1854d6d9-6b0d-596b-aa82-3dd178305019', 3, '\x2cdd549617980680145f1593e9b4dd6a5b4fcc9f029b27294593c22d52013b34');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (25, 26, '1854d6d9-6b0d-596b-aa82-3dd178305019', 4, '\x7cba5060f45a99281d063e3e12d73c48efb8557ff85a186ab35c6e7639717efb');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (26, 27, '1854d6d9-6b0d-596b-aa82-3dd178305019', 5, '\x0ecb42d0040e2e3fb3b83a3edd21a59169a0e5a2c8817a0762d4feee006b45ec');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (27, 28, '1854d6d9-6b0d-596b-aa82-3dd178305019', 6, '\xdf4d561527ce308686d87cc540d0e5ddef640b253954712da48b5407223c120d');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (28, 29, 'd83055fa-b424-56ad-9759-6ec87bbb9df3', 1, '\x1ef43d063544390e3957f187d89426f4a2ffc29e48a4c57b710dab4cc7b9d674');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (29, 30, 'd83055fa-b424-56ad-9759-6ec87bbb9df3', 2, '\xda4c49b0639c9171a4b87cea596f695cf4ba0b92ebfefe5525af97f03383b935');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (30, 31, 'c505a553-d3ce-4feb-bbe5-fbc8806adcfd', 1, '\x6920503919b9d84c9b744712e107628baf3c2851886b3c26cdbf87ef389129a6');
INSERT INTO ledger_previous_release.ledger_leaves VALUES (31, 32, 'c505a553-d3ce-4feb-bbe5-fbc8806adcfd', 2, '\x2ec059a5b56a82f79ee9061fe06ef590853acd4c6a2c46821670e50224296ff3');


--
-- Data for Name: ledger_nodes; Type: TABLE DATA; Schema: ledger_previous_release; Owner: -
--

INSERT INTO ledger_previous_release.ledger_nodes VALUES (1, 0, '\x7144e94823ddac520ff16a0a8e20f536b7260abcc40a55206f92c113c2f61fd9');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (1, 1, '\x55e21b03ad4146eeea348d23b45779dc11b8de4c33fd224e01bfa2f126b8fde3');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (2, 0, '\x0d94fc755de545a634bdf60467d51a28c9ac5673dbd50bcc54928f75125dc472');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (1, 2, '\xfee2094e746564da59beb7217b7e9236ef5a709e0aa5f59f422a40f5adcf66c9');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (1, 3, '\x5c1ff40bd9044336e522df8ca2d7cf58f9f123db4ac1e8186c1f305ba62a2e58');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (2, 1, '\xa6a51d273bb7a300be6613e60ee3619bbf15d00729cf7d07ebf44363842d002f');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (3, 0, '\xb008564c769aa6ed30130323757a89706a06075e5c8855bf528cc5ed7b92e2a1');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (1, 4, '\x2c15c6e3bd95dac947ecd38ed196a8c89b33f340c001802b1c73f8c73175dd5c');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (1, 5, '\x2334f310ed28bc4846e842874fc04bc19c63208805f1411bb8ceec2f7e7ce5ea');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (2, 2, '\x0843a150c3a9c315d50356a8547ed2445fba1e48410204c4ce2f06bc17c25e3c');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (1, 6, '\x2fc08941815a83e3aa3043948b7453c9c2e4e2f35f94b586fbb1c543ca741f21');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (1, 7, '\xa460fbca3546e1e0a9c3d6fa0252a3cf0419a401014e8c4e4ff5d340823e4e41');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (2, 3, '\x394f5e6d85e3066d290069467f4593cb7e2495403c4deb464acde699006aa946');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (3, 1, '\x014d194bae0d586831f3fc3f33c571ec05196abf13ab85738d768b6f2f38c605');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (4, 0, '\xf8c6368dd5e8eea93cafe4033585530e8ad95c445b9f86dd3ebb56746ebcdfd9');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (1, 8, '\x7b79c46cb3cea0491a5fabf74b044f3ce26b29f37eb41bebd3225c5f0501eae1');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (1, 9, '\x9641ae11ef2a09eac83449e6acb05cf540537df0590b80c255c3a47311b0814a');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (2, 4, '\xfc8970505f5bdc72dc3d4451b79dd7040e3d6ec9f87d3f55ff88e29b4a8d4ad1');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (1, 10, '\xb325f02db991a10d9500ec3f33605cdf3ddb98d8ed73bac3ecaa2b5b928f6d4c');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (1, 11, '\xda6bfe555e7cccd6bd5f5d165b26d03070c5014905086f42dd24e68a08cde8c5');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (2, 5, '\x968d977addab31fd0159490fda31eda94a5bef4f60dd9a13d34d812bf3dcd314');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (3, 2, '\x6ebc28ad747bfc1a149d1f34d6dea3e6b0f0fbf4b726e38246a2625420cc6aa6');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (1, 12, '\x442b632d172fb7ed5b196a7df8b3200dfc1c4ab4cbcdd4df1dcddd83cfb12ebd');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (1, 13, '\x95e46c53b6614efa21128f22ef5540ce1f64bf45a85ca4aadb7a73479c1ea1b7');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (2, 6, '\x948bf2ab11c792f8b43db08f44b3f3fd9658246d203573e924d83d48c8816b42');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (1, 14, '\xa3ce28fc7aabe67e5253594a45d7c7b84b7f5cee5794c85291223927dbf40e4e');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (1, 15, '\xc3a5a956ed69d00b5e62095b30d32fc560c579926047ebab062dfd99f5918b6f');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (2, 7, '\x674643bbe790aace4f32a69fbef9c9a73ca63fe3d5c5140bfe95b13a2bd7cb01');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (3, 3, '\x06aece2880d2775fbdc351c6e58759e709ca1cfcd429164428963a8fe0e35904');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (4, 1, '\x987dd3af994a58bad4f0ede533cc43ec437f1e8682078fab9be7193c6ddab049');
INSERT INTO ledger_previous_release.ledger_nodes VALUES (5, 0, '\xf087a799da7e03df2a56e4d9c286c16ece61dbae78f6248ac4874f2ae72dd524');


--
-- Data for Name: ledger_refused; Type: TABLE DATA; Schema: ledger_previous_release; Owner: -
--



--
-- Data for Name: ledger_verifications; Type: TABLE DATA; Schema: ledger_previous_release; Owner: -
--

INSERT INTO ledger_previous_release.ledger_verifications VALUES ('2026-03-02T03:00:00+00:00', true, 32, 32, 1, '[]');


--
-- Data for Name: page_sessions; Type: TABLE DATA; Schema: ledger_previous_release; Owner: -
--



--
-- Data for Name: projection_tracking; Type: TABLE DATA; Schema: ledger_previous_release; Owner: -
--

INSERT INTO ledger_previous_release.projection_tracking VALUES ('directory', 32, '2026-12-05T13:46:52.673309+00:00');
INSERT INTO ledger_previous_release.projection_tracking VALUES ('initiatives', 32, '2026-12-05T13:46:52.673450+00:00');
INSERT INTO ledger_previous_release.projection_tracking VALUES ('cadre_records', 32, '2026-12-05T13:46:52.673483+00:00');
INSERT INTO ledger_previous_release.projection_tracking VALUES ('audit', 32, '2026-12-05T13:46:52.673625+00:00');
INSERT INTO ledger_previous_release.projection_tracking VALUES ('ledger', 32, '2026-12-05T13:46:52.673778+00:00');


--
-- Data for Name: rate_limits; Type: TABLE DATA; Schema: ledger_previous_release; Owner: -
--



--
-- Name: ledger_events_notification_id_seq; Type: SEQUENCE SET; Schema: ledger_previous_release; Owner: -
--

SELECT pg_catalog.setval('ledger_previous_release.ledger_events_notification_id_seq', 32, true);


--
-- Name: dir_organisations dir_organisations_pkey; Type: CONSTRAINT; Schema: ledger_previous_release; Owner: -
--

ALTER TABLE ONLY ledger_previous_release.dir_organisations
    ADD CONSTRAINT dir_organisations_pkey PRIMARY KEY (id);


--
-- Name: dir_people dir_people_pkey; Type: CONSTRAINT; Schema: ledger_previous_release; Owner: -
--

ALTER TABLE ONLY ledger_previous_release.dir_people
    ADD CONSTRAINT dir_people_pkey PRIMARY KEY (id);


--
-- Name: dir_positions dir_positions_pkey; Type: CONSTRAINT; Schema: ledger_previous_release; Owner: -
--

ALTER TABLE ONLY ledger_previous_release.dir_positions
    ADD CONSTRAINT dir_positions_pkey PRIMARY KEY (organisation_id, key);


--
-- Name: idempotency_keys idempotency_keys_pkey; Type: CONSTRAINT; Schema: ledger_previous_release; Owner: -
--

ALTER TABLE ONLY ledger_previous_release.idempotency_keys
    ADD CONSTRAINT idempotency_keys_pkey PRIMARY KEY (person_id, key);


--
-- Name: iv_audit iv_audit_pkey; Type: CONSTRAINT; Schema: ledger_previous_release; Owner: -
--

ALTER TABLE ONLY ledger_previous_release.iv_audit
    ADD CONSTRAINT iv_audit_pkey PRIMARY KEY ("position");


--
-- Name: iv_cadre_facts iv_cadre_facts_pkey; Type: CONSTRAINT; Schema: ledger_previous_release; Owner: -
--

ALTER TABLE ONLY ledger_previous_release.iv_cadre_facts
    ADD CONSTRAINT iv_cadre_facts_pkey PRIMARY KEY ("position", person_id, fact);


--
-- Name: iv_clocks iv_clocks_pkey; Type: CONSTRAINT; Schema: ledger_previous_release; Owner: -
--

ALTER TABLE ONLY ledger_previous_release.iv_clocks
    ADD CONSTRAINT iv_clocks_pkey PRIMARY KEY (initiative_id, seq);


--
-- Name: iv_counts iv_counts_pkey; Type: CONSTRAINT; Schema: ledger_previous_release; Owner: -
--

ALTER TABLE ONLY ledger_previous_release.iv_counts
    ADD CONSTRAINT iv_counts_pkey PRIMARY KEY (organisation_id, status, outcome, child);


--
-- Name: iv_initiatives iv_initiatives_pkey; Type: CONSTRAINT; Schema: ledger_previous_release; Owner: -
--

ALTER TABLE ONLY ledger_previous_release.iv_initiatives
    ADD CONSTRAINT iv_initiatives_pkey PRIMARY KEY (id);


--
-- Name: iv_people iv_people_pkey; Type: CONSTRAINT; Schema: ledger_previous_release; Owner: -
--

ALTER TABLE ONLY ledger_previous_release.iv_people
    ADD CONSTRAINT iv_people_pkey PRIMARY KEY (initiative_id, person_id, relation);


--
-- Name: ledger_checkpoints ledger_checkpoints_pkey; Type: CONSTRAINT; Schema: ledger_previous_release; Owner: -
--

ALTER TABLE ONLY ledger_previous_release.ledger_checkpoints
    ADD CONSTRAINT ledger_checkpoints_pkey PRIMARY KEY (size);


--
-- Name: ledger_cosignatures ledger_cosignatures_pkey; Type: CONSTRAINT; Schema: ledger_previous_release; Owner: -
--

ALTER TABLE ONLY ledger_previous_release.ledger_cosignatures
    ADD CONSTRAINT ledger_cosignatures_pkey PRIMARY KEY (size, witness);


--
-- Name: ledger_events ledger_events_pkey; Type: CONSTRAINT; Schema: ledger_previous_release; Owner: -
--

ALTER TABLE ONLY ledger_previous_release.ledger_events
    ADD CONSTRAINT ledger_events_pkey PRIMARY KEY (originator_id, originator_version);


--
-- Name: ledger_index_nodes ledger_index_nodes_pkey; Type: CONSTRAINT; Schema: ledger_previous_release; Owner: -
--

ALTER TABLE ONLY ledger_previous_release.ledger_index_nodes
    ADD CONSTRAINT ledger_index_nodes_pkey PRIMARY KEY (depth, prefix, size);


--
-- Name: ledger_leaves ledger_leaves_pkey; Type: CONSTRAINT; Schema: ledger_previous_release; Owner: -
--

ALTER TABLE ONLY ledger_previous_release.ledger_leaves
    ADD CONSTRAINT ledger_leaves_pkey PRIMARY KEY (idx);


--
-- Name: ledger_nodes ledger_nodes_pkey; Type: CONSTRAINT; Schema: ledger_previous_release; Owner: -
--

ALTER TABLE ONLY ledger_previous_release.ledger_nodes
    ADD CONSTRAINT ledger_nodes_pkey PRIMARY KEY (level, idx);


--
-- Name: ledger_refused ledger_refused_pkey; Type: CONSTRAINT; Schema: ledger_previous_release; Owner: -
--

ALTER TABLE ONLY ledger_previous_release.ledger_refused
    ADD CONSTRAINT ledger_refused_pkey PRIMARY KEY ("position");


--
-- Name: page_sessions page_sessions_pkey; Type: CONSTRAINT; Schema: ledger_previous_release; Owner: -
--

ALTER TABLE ONLY ledger_previous_release.page_sessions
    ADD CONSTRAINT page_sessions_pkey PRIMARY KEY (id);


--
-- Name: projection_tracking projection_tracking_pkey; Type: CONSTRAINT; Schema: ledger_previous_release; Owner: -
--

ALTER TABLE ONLY ledger_previous_release.projection_tracking
    ADD CONSTRAINT projection_tracking_pkey PRIMARY KEY (view);


--
-- Name: rate_limits rate_limits_pkey; Type: CONSTRAINT; Schema: ledger_previous_release; Owner: -
--

ALTER TABLE ONLY ledger_previous_release.rate_limits
    ADD CONSTRAINT rate_limits_pkey PRIMARY KEY (key);


--
-- Name: dir_organisations_key; Type: INDEX; Schema: ledger_previous_release; Owner: -
--

CREATE UNIQUE INDEX dir_organisations_key ON ledger_previous_release.dir_organisations USING btree (key);


--
-- Name: dir_people_key; Type: INDEX; Schema: ledger_previous_release; Owner: -
--

CREATE UNIQUE INDEX dir_people_key ON ledger_previous_release.dir_people USING btree (key);


--
-- Name: dir_positions_person; Type: INDEX; Schema: ledger_previous_release; Owner: -
--

CREATE INDEX dir_positions_person ON ledger_previous_release.dir_positions USING btree (person_id);


--
-- Name: idempotency_keys_created; Type: INDEX; Schema: ledger_previous_release; Owner: -
--

CREATE INDEX idempotency_keys_created ON ledger_previous_release.idempotency_keys USING btree (created_at);


--
-- Name: iv_audit_actor; Type: INDEX; Schema: ledger_previous_release; Owner: -
--

CREATE INDEX iv_audit_actor ON ledger_previous_release.iv_audit USING btree (actor_person_id, "position");


--
-- Name: iv_audit_org; Type: INDEX; Schema: ledger_previous_release; Owner: -
--

CREATE INDEX iv_audit_org ON ledger_previous_release.iv_audit USING btree (organisation_id, "position");


--
-- Name: iv_audit_request; Type: INDEX; Schema: ledger_previous_release; Owner: -
--

CREATE INDEX iv_audit_request ON ledger_previous_release.iv_audit USING btree (request_id);


--
-- Name: iv_audit_time; Type: INDEX; Schema: ledger_previous_release; Owner: -
--

CREATE INDEX iv_audit_time ON ledger_previous_release.iv_audit USING btree (recorded_at);


--
-- Name: iv_audit_type; Type: INDEX; Schema: ledger_previous_release; Owner: -
--

CREATE INDEX iv_audit_type ON ledger_previous_release.iv_audit USING btree (event_type, "position");


--
-- Name: iv_cadre_facts_person; Type: INDEX; Schema: ledger_previous_release; Owner: -
--

CREATE INDEX iv_cadre_facts_person ON ledger_previous_release.iv_cadre_facts USING btree (person_id, on_date);


--
-- Name: iv_clocks_open; Type: INDEX; Schema: ledger_previous_release; Owner: -
--

CREATE INDEX iv_clocks_open ON ledger_previous_release.iv_clocks USING btree (finished_on, due_on);


--
-- Name: iv_clocks_open_or_late; Type: INDEX; Schema: ledger_previous_release; Owner: -
--

CREATE INDEX iv_clocks_open_or_late ON ledger_previous_release.iv_clocks USING btree (organisation_id, due_on) WHERE ((finished_on IS NULL) OR (finished_on > due_on));


--
-- Name: iv_clocks_org; Type: INDEX; Schema: ledger_previous_release; Owner: -
--

CREATE INDEX iv_clocks_org ON ledger_previous_release.iv_clocks USING btree (organisation_id, name);


--
-- Name: iv_initiatives_addressee; Type: INDEX; Schema: ledger_previous_release; Owner: -
--

CREATE INDEX iv_initiatives_addressee ON ledger_previous_release.iv_initiatives USING btree (addressee_id, status);


--
-- Name: iv_initiatives_authority; Type: INDEX; Schema: ledger_previous_release; Owner: -
--

CREATE INDEX iv_initiatives_authority ON ledger_previous_release.iv_initiatives USING btree (authority_id, status);


--
-- Name: iv_initiatives_created; Type: INDEX; Schema: ledger_previous_release; Owner: -
--

CREATE INDEX iv_initiatives_created ON ledger_previous_release.iv_initiatives USING btree (created_at, id);


--
-- Name: iv_initiatives_org; Type: INDEX; Schema: ledger_previous_release; Owner: -
--

CREATE INDEX iv_initiatives_org ON ledger_previous_release.iv_initiatives USING btree (employing_organisation_id, status);


--
-- Name: iv_initiatives_status; Type: INDEX; Schema: ledger_previous_release; Owner: -
--

CREATE INDEX iv_initiatives_status ON ledger_previous_release.iv_initiatives USING btree (status, updated_at);


--
-- Name: iv_initiatives_updated; Type: INDEX; Schema: ledger_previous_release; Owner: -
--

CREATE INDEX iv_initiatives_updated ON ledger_previous_release.iv_initiatives USING btree (updated_at, id);


--
-- Name: iv_people_person; Type: INDEX; Schema: ledger_previous_release; Owner: -
--

CREATE INDEX iv_people_person ON ledger_previous_release.iv_people USING btree (person_id);


--
-- Name: ledger_events_notification_id_idx; Type: INDEX; Schema: ledger_previous_release; Owner: -
--

CREATE UNIQUE INDEX ledger_events_notification_id_idx ON ledger_previous_release.ledger_events USING btree (notification_id);


--
-- Name: ledger_leaves_event; Type: INDEX; Schema: ledger_previous_release; Owner: -
--

CREATE UNIQUE INDEX ledger_leaves_event ON ledger_previous_release.ledger_leaves USING btree (aggregate_id, version);


--
-- Name: ledger_leaves_position; Type: INDEX; Schema: ledger_previous_release; Owner: -
--

CREATE UNIQUE INDEX ledger_leaves_position ON ledger_previous_release.ledger_leaves USING btree ("position");


--
-- Name: ledger_checkpoints ledger_checkpoints_append_only; Type: TRIGGER; Schema: ledger_previous_release; Owner: -
--

CREATE TRIGGER ledger_checkpoints_append_only BEFORE DELETE OR UPDATE ON ledger_previous_release.ledger_checkpoints FOR EACH ROW EXECUTE FUNCTION ledger_previous_release.ledger_refuse_change();


--
-- Name: ledger_checkpoints ledger_checkpoints_no_truncate; Type: TRIGGER; Schema: ledger_previous_release; Owner: -
--

CREATE TRIGGER ledger_checkpoints_no_truncate BEFORE TRUNCATE ON ledger_previous_release.ledger_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION ledger_previous_release.ledger_refuse_change();


--
-- Name: ledger_cosignatures ledger_cosignatures_append_only; Type: TRIGGER; Schema: ledger_previous_release; Owner: -
--

CREATE TRIGGER ledger_cosignatures_append_only BEFORE DELETE OR UPDATE ON ledger_previous_release.ledger_cosignatures FOR EACH ROW EXECUTE FUNCTION ledger_previous_release.ledger_refuse_change();


--
-- Name: ledger_cosignatures ledger_cosignatures_no_truncate; Type: TRIGGER; Schema: ledger_previous_release; Owner: -
--

CREATE TRIGGER ledger_cosignatures_no_truncate BEFORE TRUNCATE ON ledger_previous_release.ledger_cosignatures FOR EACH STATEMENT EXECUTE FUNCTION ledger_previous_release.ledger_refuse_change();


--
-- Name: ledger_events ledger_events_append_only; Type: TRIGGER; Schema: ledger_previous_release; Owner: -
--

CREATE TRIGGER ledger_events_append_only BEFORE DELETE OR UPDATE ON ledger_previous_release.ledger_events FOR EACH ROW EXECUTE FUNCTION ledger_previous_release.ledger_refuse_change();


--
-- Name: ledger_events ledger_events_no_truncate; Type: TRIGGER; Schema: ledger_previous_release; Owner: -
--

CREATE TRIGGER ledger_events_no_truncate BEFORE TRUNCATE ON ledger_previous_release.ledger_events FOR EACH STATEMENT EXECUTE FUNCTION ledger_previous_release.ledger_refuse_change();


--
-- Name: ledger_index_nodes ledger_index_nodes_append_only; Type: TRIGGER; Schema: ledger_previous_release; Owner: -
--

CREATE TRIGGER ledger_index_nodes_append_only BEFORE DELETE OR UPDATE ON ledger_previous_release.ledger_index_nodes FOR EACH ROW EXECUTE FUNCTION ledger_previous_release.ledger_refuse_change();


--
-- Name: ledger_index_nodes ledger_index_nodes_no_truncate; Type: TRIGGER; Schema: ledger_previous_release; Owner: -
--

CREATE TRIGGER ledger_index_nodes_no_truncate BEFORE TRUNCATE ON ledger_previous_release.ledger_index_nodes FOR EACH STATEMENT EXECUTE FUNCTION ledger_previous_release.ledger_refuse_change();


--
-- Name: ledger_leaves ledger_leaves_append_only; Type: TRIGGER; Schema: ledger_previous_release; Owner: -
--

CREATE TRIGGER ledger_leaves_append_only BEFORE DELETE OR UPDATE ON ledger_previous_release.ledger_leaves FOR EACH ROW EXECUTE FUNCTION ledger_previous_release.ledger_refuse_change();


--
-- Name: ledger_leaves ledger_leaves_no_truncate; Type: TRIGGER; Schema: ledger_previous_release; Owner: -
--

CREATE TRIGGER ledger_leaves_no_truncate BEFORE TRUNCATE ON ledger_previous_release.ledger_leaves FOR EACH STATEMENT EXECUTE FUNCTION ledger_previous_release.ledger_refuse_change();


--
-- Name: ledger_nodes ledger_nodes_append_only; Type: TRIGGER; Schema: ledger_previous_release; Owner: -
--

CREATE TRIGGER ledger_nodes_append_only BEFORE DELETE OR UPDATE ON ledger_previous_release.ledger_nodes FOR EACH ROW EXECUTE FUNCTION ledger_previous_release.ledger_refuse_change();


--
-- Name: ledger_nodes ledger_nodes_no_truncate; Type: TRIGGER; Schema: ledger_previous_release; Owner: -
--

CREATE TRIGGER ledger_nodes_no_truncate BEFORE TRUNCATE ON ledger_previous_release.ledger_nodes FOR EACH STATEMENT EXECUTE FUNCTION ledger_previous_release.ledger_refuse_change();


--
-- Name: ledger_refused ledger_refused_append_only; Type: TRIGGER; Schema: ledger_previous_release; Owner: -
--

CREATE TRIGGER ledger_refused_append_only BEFORE DELETE OR UPDATE ON ledger_previous_release.ledger_refused FOR EACH ROW EXECUTE FUNCTION ledger_previous_release.ledger_refuse_change();


--
-- Name: ledger_refused ledger_refused_no_truncate; Type: TRIGGER; Schema: ledger_previous_release; Owner: -
--

CREATE TRIGGER ledger_refused_no_truncate BEFORE TRUNCATE ON ledger_previous_release.ledger_refused FOR EACH STATEMENT EXECUTE FUNCTION ledger_previous_release.ledger_refuse_change();


--
-- PostgreSQL database dump complete
--

\unrestrict iQmY0uFz79bywb8GTWLeHRxJeLuVuCwSlzNYCg4B1jhDR4gyJhefTdfb75KDtaX

