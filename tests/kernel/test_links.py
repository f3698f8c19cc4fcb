"""Links to records' pages built once a route (``kernel.links.record_url``)."""

from django.urls import clear_script_prefix, reverse, set_script_prefix

from improvement.kernel.links import record_url


def test_a_record_link_is_the_address_django_reverses():
    for name in ("improvement:action_detail", "findings:finding_detail"):
        for pk in (1, 42, 918273645, "7"):
            assert record_url(name, pk) == reverse(name, args=[pk])


def test_a_record_link_follows_the_script_prefix_the_site_is_served_under():
    set_script_prefix("/improvement-board/")
    try:
        assert record_url("improvement:action_detail", 3) == reverse(
            "improvement:action_detail", args=[3]
        )
        assert record_url("improvement:action_detail", 3).startswith(
            "/improvement-board/"
        )
    finally:
        clear_script_prefix()
    assert record_url("improvement:action_detail", 3) == reverse(
        "improvement:action_detail", args=[3]
    )
