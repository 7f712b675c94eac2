"""What waits for the signed-in user: the inbox counted in the sidebar and listed at the top of the landing page.

Tenancy knows no app by name: each app contributes what it knows through the Wagtail hook ``lantoa_inbox``,
registered in its own ``wagtail_hooks.py``::

    @hooks.register(inbox.HOOK)
    def waiting(request):
        return [inbox.Item(label, count, url, order=20)]

A provider answers with cheap counts only (the sidebar shows them on every back-office page); the list is built
once per request. Items counting zero are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from wagtail import hooks

HOOK = "lantoa_inbox"


@dataclass(frozen=True)
class Item:
    label: str  # the whole line, count included ("2 khó khăn, vướng mắc chờ lãnh đạo trả lời")
    count: int
    url: str
    order: int = 100


def items_for(request) -> list[Item]:
    cached = getattr(request, "_lantoa_inbox", None)
    if cached is not None:
        return cached
    items: list[Item] = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        for provider in hooks.get_hooks(HOOK):
            items.extend(item for item in provider(request) if item.count)
    items.sort(key=lambda item: item.order)
    request._lantoa_inbox = items
    return items


def total(request) -> int:
    return sum(item.count for item in items_for(request))
