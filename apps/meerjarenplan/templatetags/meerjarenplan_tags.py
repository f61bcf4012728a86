"""Template tags other apps' pages use to show the meerjarenplan without importing it: the
memorandum page loads this library to show where each proposal landed in the plan."""

from django import template

from ..selectors_memorandum import where_proposals_landed

register = template.Library()


@register.simple_tag
def proposals_landed(memorandum) -> dict[int, list[str]]:
    """{proposal id: [codes]} for the whole page, in one query:
    ``{% proposals_landed memorandum as landed %}``."""
    return where_proposals_landed(memorandum)


@register.filter
def codes_for(landed: dict, proposal_pk) -> list[str]:
    """The codes of one proposal from ``proposals_landed``: ``landed|codes_for:proposal.pk``."""
    if not isinstance(landed, dict):
        return []
    return landed.get(proposal_pk, [])
