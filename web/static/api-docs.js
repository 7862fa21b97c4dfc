// Starts Swagger UI on the API docs page (templates/swagger_ui.html). A file of its own, not
// an inline script, so that the page's Content-Security-Policy needs no 'unsafe-inline'.
"use strict";
(function () {
  var node = document.getElementById("swagger-ui-container");
  var config = {
    url: node.dataset.specUrl,
    dom_id: "#swagger-ui-container",
    // Never send the spec to validator.swagger.io (nor load its badge from there).
    validatorUrl: null,
  };
  var overrides = JSON.parse(node.dataset.config || "{}"); // OPENAPI_SWAGGER_UI_CONFIG
  Object.keys(overrides).forEach(function (key) {
    config[key] = overrides[key];
  });
  window.ui = SwaggerUIBundle(config);
})();
