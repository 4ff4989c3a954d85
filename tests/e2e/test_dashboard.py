"""Every demo role logs in through the browser and is greeted in Vietnamese with their units."""

import pytest

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("username", "name", "unit"),
    [
        ("qlcl", "Nguyễn Thị Hoa", "Huyện Yên Thế"),
        ("lanhdao", "Trần Văn Minh", "Huyện Yên Thế"),
        ("danhgia", "Lê Quang Huy", "Huyện Yên Thế"),
        ("motcua", "Phạm Thị Lan", "Xã Yên Thế"),
    ],
)
def test_each_role_sees_the_dashboard_in_vietnamese(login, username, name, unit):
    page = login(username)
    panel = page.get_by_test_id("welcome-panel")
    assert panel.get_by_text(f"Xin chào, {name}").is_visible()
    assert panel.get_by_text("Đơn vị của bạn").is_visible()
    assert unit in panel.inner_text()
    assert page.locator("html").get_attribute("lang") == "vi"
    # The Catalogues menu is there, in Vietnamese.
    assert page.get_by_role("button", name="Danh mục").is_visible()
