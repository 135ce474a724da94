// The API documentation page: Swagger UI over /api/schema/. Calls made with "Try it out" carry
// the session's CSRF token; a token pasted in "Authorize" is sent as Authorization: Bearer.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  var csrf = root.getAttribute("data-csrf-token");
  window.SwaggerUIBundle({
    url: root.getAttribute("data-schema-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: false,
    requestInterceptor: function (request) {
      request.headers["X-CSRFToken"] = csrf;
      return request;
    },
  });
})();
