"""`{% agreement_gate_for group as gate %}`: lets any group page include the gate notice
without its view knowing about agreements. The rule itself lives in the selector."""

from django import template

from groups.selectors.agreements import agreement_gate

register = template.Library()


@register.simple_tag(takes_context=True)
def agreement_gate_for(context, group):
    request = context.get("request")
    user = getattr(request, "user", None)
    return agreement_gate(user, group)


@register.simple_tag(takes_context=True)
def agreement_readable(context, group) -> bool:
    from peersupport.permissions import has_perm

    request = context.get("request")
    return has_perm(getattr(request, "user", None), "groups.agreement_read", group)


@register.simple_tag(takes_context=True)
def agreements_to_sign(context) -> list:
    from groups.selectors.agreements import groups_needing_signature

    request = context.get("request")
    return groups_needing_signature(getattr(request, "user", None))
