"""The back office's menu items that depend on a permission: one class for every app."""

from __future__ import annotations

from wagtail.admin.menu import MenuItem, SubmenuMenuItem

from .selectors import has_perm_anywhere


class PermMenuItem(MenuItem):
    """Shown to whoever holds ``perm`` in at least one commune (``has_perm_anywhere``: the user's permissions are read
    once per request, however many items ask)."""

    def __init__(self, label, url, *, perm: str, **kwargs):
        super().__init__(label, url, **kwargs)
        self.perm = perm

    def is_shown(self, request):
        return has_perm_anywhere(request.user, self.perm)


class PermSubmenuMenuItem(SubmenuMenuItem):
    """A submenu shown on the same rule."""

    def __init__(self, label, menu, *, perm: str, **kwargs):
        super().__init__(label, menu, **kwargs)
        self.perm = perm

    def is_shown(self, request):
        return has_perm_anywhere(request.user, self.perm)
