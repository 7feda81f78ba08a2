"""Fixtures for the robot simulators: fresh robots per test and raw HTTP to them."""

import pytest
import requests


class Robots:
    """The three seeded robots of one test and a session that posts literal bodies to them."""

    def __init__(self, sandbox, seeded):
        self.sandbox = sandbox
        self.seeded = seeded
        self.http = requests.Session()

    def url(self, platform, extra=""):
        return self.sandbox.base_url + self.seeded[platform]["path"] + extra

    def post(self, url, body=None, **kwargs):
        """The decoded answer; every answer of these robots is HTTP 200 with a JSON body."""
        if body is not None:
            kwargs["json"] = body
        response = self.http.post(url, timeout=30, **kwargs)
        assert response.status_code == 200, response.text
        return response.json()

    def secret(self, platform):
        return self.seeded[platform]["secret"]


@pytest.fixture
def im(sandbox):
    sandbox.clear_faults("im")
    robots = Robots(sandbox, sandbox.seed(systems=["im"])["im"])
    yield robots
    robots.http.close()
    sandbox.clear_faults("im")
