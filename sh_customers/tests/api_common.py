import json

from odoo.tests import new_test_user

ERROR_STATUSES = {400, 401, 403, 404, 405, 409, 422}


class ShApiCase:
    """Calls the customers API over real HTTP with real API keys. Mixed into
    an ``HttpCase``."""

    @classmethod
    def _api_user(cls, login, groups, companies=None, **vals):
        companies = companies or cls.env.company
        user = new_test_user(
            cls.env,
            login=login,
            groups=groups,
            company_id=companies[0].id,
            company_ids=[(6, 0, companies.ids)],
            **vals,
        )
        # sudo: a key without expiry date, as an administrator gives it
        key = cls.env["res.users.apikeys"].with_user(user).sudo()._generate(None, login, None)
        return user, key

    def api(self, path, key=None, method="GET", body=None, raw=None, headers=None, params=None):
        """The answer to one request: ``(status, JSON body)``. Every answer,
        error or not, must be JSON."""
        headers = dict(headers or {})
        if key:
            headers["Authorization"] = f"Bearer {key}"
        url = self.base_url() + path
        if method == "GET" and body is None and raw is None:
            response = self.opener.get(url, params=params, headers=headers, timeout=60)
        else:
            headers.setdefault("Content-Type", "application/json")
            data = raw if raw is not None else json.dumps(body if body is not None else {})
            response = self.opener.request(
                method, url, params=params, data=data, headers=headers, timeout=60
            )
        self.assertEqual(
            response.headers.get("Content-Type", "").split(";")[0],
            "application/json",
            f"{method} {path}: {response.status_code} {response.text[:300]}",
        )
        answer = response.json()
        if response.status_code >= 400:
            self.assertEqual(set(answer), {"error"}, answer)
            self.assertEqual(set(answer["error"]), {"code", "message"}, answer)
            self.assertTrue(answer["error"]["message"])
        self.assertLess(response.status_code, 500, f"{method} {path}: {answer}")
        self._last_response = response
        return response.status_code, answer

    def assertApiError(self, expected_status, *args, **kwargs):
        status, answer = self.api(*args, **kwargs)
        self.assertEqual(status, expected_status, answer)
        return answer["error"]["message"]

    def walk_openapi(self, key, customer_id, bodies, paths):
        """Call each operation of the OpenAPI document on ``paths``: a
        valid request must answer with the
        success status it documents and carry the fields its schema
        requires; no key, an unknown customer and a malformed body must
        answer with statuses it documents. ``bodies``: a valid body per
        POST path. Returns the operations walked."""
        status, document = self.api("/api/customers/openapi.json")
        self.assertEqual(status, 200)
        schemas = document["components"]["schemas"]
        walked = []
        for path, operations in document["paths"].items():
            if path not in paths:
                continue
            for method, operation in operations.items():
                url = path.replace("{id}", str(customer_id))
                documented = {int(code) for code in operation["responses"]}
                success = min(documented)
                self.assertIn(success, (200, 201), path)
                schema = operation["responses"][str(success)]["content"]["application/json"][
                    "schema"
                ]
                if "$ref" in schema:
                    schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
                body = bodies.get(path) if method == "post" else None
                if method == "post":
                    self.assertIn(path, bodies, f"no valid body known for POST {path}")
                    required = operation["requestBody"]["content"]["application/json"]["schema"][
                        "required"
                    ]
                    self.assertLessEqual(set(required), set(body), path)
                status, answer = self.api(url, key, method=method.upper(), body=body)
                self.assertEqual(status, success, f"{method} {path}: {answer}")
                self.assertLessEqual(
                    set(schema.get("required", [])), set(answer), f"{method} {path}"
                )
                if operation.get("security") == []:
                    walked.append((method, path))
                    continue
                checks = [(401, {"key": None})]
                if "{id}" in path:
                    checks.append((404, {"path": path.replace("{id}", "999999999")}))
                if method == "post":
                    checks.append((400, {"raw": "{not json"}))
                else:
                    checks.append((400, {"params": {"no_such_parameter": "1"}}))
                for expected, change in checks:
                    self.assertIn(expected, documented, f"{method} {path}: {expected}")
                    status, answer = self.api(
                        change.get("path", url),
                        change.get("key", key),
                        method=method.upper(),
                        raw=change.get("raw"),
                        body=body if "raw" not in change else None,
                        params=change.get("params"),
                    )
                    self.assertEqual(status, expected, f"{method} {path}: {answer}")
                walked.append((method, path))
        return walked
