import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command


@pytest.fixture
def demo(db, settings):
    """The demo district at a fiftieth of its dossiers, its users by username (query budgets, panel reads)."""
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("load_demo", "--scale", "0.02", stdout=io.StringIO())
    return {user.username: user for user in get_user_model().objects.all()}
