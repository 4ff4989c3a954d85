"""The ISO 9001:2015 clause catalogue loaded by migration core.0003."""

from qms.core.models import IsoClause

REQUIRED = (
    [f"{n}" for n in range(4, 11)]
    + ["4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "6.1", "6.2", "6.3", "7.1", "7.2", "7.3", "7.4", "7.5"]
    + ["8.1", "8.2", "8.3", "8.4", "8.5", "8.6", "8.7", "9.1", "9.2", "9.3", "10.1", "10.2", "10.3"]
    + [f"7.1.{i}" for i in range(1, 7)] + ["7.5.1", "7.5.2", "7.5.3"] + [f"8.5.{i}" for i in range(1, 7)]
    + ["9.1.1", "9.1.2", "9.1.3", "9.2.1", "9.2.2", "9.3.1", "9.3.2", "9.3.3", "10.2.1", "10.2.2"]
)


def test_every_clause_auditors_cite_is_there_with_both_titles(db):
    clauses = {c.number: c for c in IsoClause.objects.all()}
    assert set(REQUIRED) <= set(clauses)
    for clause in clauses.values():
        assert clause.title_vi and clause.title_en


def test_sub_clauses_hang_under_their_parent(db):
    assert IsoClause.objects.get(number="7.5.3").parent.number == "7.5"
    assert IsoClause.objects.get(number="7.5").parent.number == "7"
    assert IsoClause.objects.get(number="10").parent is None


def test_clauses_sort_numerically(db):
    numbers = list(IsoClause.objects.values_list("number", flat=True))
    assert numbers.index("9.3.3") < numbers.index("10") < numbers.index("10.3")
    assert numbers.index("4.4") < numbers.index("5")


def test_title_follows_the_language(db):
    from django.utils import translation

    clause = IsoClause.objects.get(number="7.5")
    with translation.override("vi"):
        assert str(clause) == "7.5 Thông tin dạng văn bản"
    with translation.override("en"):
        assert str(clause) == "7.5 Documented information"
