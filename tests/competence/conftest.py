import pytest


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login
