-- compose.yaml: PostgreSQL's official image runs this once, when its data volume is first
-- initialised (/docker-entrypoint-initdb.d), as POSTGRES_USER (ledger_owner, the owner of the
-- database `ledger`). It creates the service role of the web processes and the worker, which
-- owns nothing; `ledger migrate` (as the owner, LEDGER_SERVICE_ROLE=ledger_service) grants it
-- what the service needs and no more (docs/ledger.md §7b). The password comes from the
-- container's environment (LEDGER_DB_PASSWORD, from .env), never from this file.
\getenv password LEDGER_DB_PASSWORD
\if :{?password}
\else
  \set password ''
\endif
SELECT length(:'password') > 0 AS has_password \gset
\if :has_password
  CREATE ROLE ledger_service LOGIN PASSWORD :'password';
\else
  DO $$ BEGIN RAISE EXCEPTION 'LEDGER_DB_PASSWORD is not set: the service role needs one'; END $$;
\endif
\unset password
