"""
The user guide per role (docs/user-guide.md): a section for each role, with the screenshots the browser
walks made (tests/e2e/test_roles.py, QMS_GUIDE_SHOTS=1), served to signed-in admin users only.
"""

import re

import pytest
from bs4 import BeautifulSoup
from django.urls import NoReverseMatch, reverse

from qms.core.guide import GUIDE, IMAGES

pytestmark = pytest.mark.django_db

ROLES = [
    "Công chức bộ phận một cửa", "Cán bộ phụ trách ISO (chuyên viên)", "Chuyên gia đánh giá nội bộ", "Lãnh đạo",
]


def test_each_role_has_its_section_with_screenshots_that_load(client, demo_users):
    client.force_login(demo_users["motcua"])
    soup = BeautifulSoup(client.get(reverse("user_guide")).content, "html.parser")
    headings = [h.get_text() for h in soup.select("[data-testid=user-guide] h2")]
    for role in ROLES:
        assert any(h.startswith(role) for h in headings), (role, headings)
    images = soup.select("[data-testid=user-guide] figure img")
    named = re.findall(r"img/guide/([a-z0-9-]+)\.png", GUIDE.read_text(encoding="utf-8"))
    assert len(images) == len(named) >= 8
    for image in images:
        assert image["alt"]
        response = client.get(image["src"])
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"


def test_every_screenshot_is_used_and_small(client):
    named = set(re.findall(r"img/guide/([a-z0-9-]+)\.png", GUIDE.read_text(encoding="utf-8")))
    files = {path.stem: path for path in IMAGES.glob("*.png")}
    assert named == set(files)
    for path in files.values():
        assert path.stat().st_size < 150_000, path.name


def test_screenshots_need_a_login_and_name_only_the_guides_files(client, demo_users):
    name = sorted(IMAGES.glob("*.png"))[0].stem
    url = reverse("user_guide_image", args=[name])
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(demo_users["motcua"])
    assert client.get(reverse("user_guide_image", args=["khong-co-anh-nay"])).status_code == 404
    with pytest.raises(NoReverseMatch):
        reverse("user_guide_image", args=["../../settings"])
    outside = client.get(url.replace(name, "..%2F..%2Fmanage"))  # no route matches: Django's slash redirect, nothing served
    assert outside.status_code in (301, 404) and outside.get("Content-Type") != "image/png"
