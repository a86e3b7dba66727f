"""Family: standards issued in the region (local standards, and group and enterprise standards
whose issuer belongs to an organization of the node)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from stdplus.catalog.choices import Level
from stdplus.catalog.models import Standard
from stdplus.programme.choices import IssuerKind
from stdplus.programme.models import IssuerCode, Region
from stdplus.programme.selectors import region_codes, region_local_prefixes

from .base import Scope, Split
from .standards import StandardsIndicator, standards_in_period, without_demo


class LocalIndicator(StandardsIndicator):
    key = "local"
    order = 30
    short_label = _("Local")
    label = _("Local standards issued")
    unit = _("editions")
    splits = [Split("body", _("Issuing body"), [])]

    def base(self, scope: Scope) -> QuerySet:
        queryset = Standard.objects.filter(
            level=Level.LOCAL, body__in=region_local_prefixes(scope.region)
        )
        return without_demo(standards_in_period(queryset, scope.period), scope)

    def by_child(self, scope: Scope, children: list[Region]) -> dict[str, int]:
        prefix_child = {
            prefix: child.code for child in children for prefix in region_local_prefixes(child)
        }
        out = {child.code: 0 for child in children}
        for body, count in self.split_values(scope, "body").items():
            if body in prefix_child:
                out[prefix_child[body]] += count
        return out


class IssuerIndicator(StandardsIndicator):
    """Standards whose issuer code (`kind`) belongs to an organization of the node (abstract:
    a figure names its `key`, `kind` and `level`)."""

    kind = IssuerKind.GROUP
    level = Level.GROUP
    unit = _("editions")
    splits = [Split("body", _("Issuer code"), [])]

    def issuers(self, scope: Scope) -> QuerySet:
        issuers = IssuerCode.objects.live().filter(
            kind=self.kind, organization__region_code__in=scope.codes
        )
        if scope.real_only:
            issuers = issuers.filter(demo=False)
        return issuers

    def base(self, scope: Scope) -> QuerySet:
        queryset = Standard.objects.filter(
            level=self.level, body__in=self.issuers(scope).values("code")
        )
        return without_demo(standards_in_period(queryset, scope.period), scope)

    def by_child(self, scope: Scope, children: list[Region]) -> dict[str, int]:
        if not children:
            return {}
        region_child = {code: child.code for child in children for code in region_codes(child)}
        code_child = {
            code: region_child[region_code]
            for code, region_code in self.issuers(scope).values_list(
                "code", "organization__region_code"
            )
            if region_code in region_child
        }
        counts = self.split_values(scope, "body")
        out = {child.code: 0 for child in children}
        for body, n in counts.items():
            if body in code_child:
                out[code_child[body]] += n
        return out


class GroupIndicator(IssuerIndicator):
    key = "group"
    order = 40
    short_label = _("Group")
    label = _("Group standards released by groups of the region")
    kind = IssuerKind.GROUP
    level = Level.GROUP


class EnterpriseIndicator(IssuerIndicator):
    key = "enterprise"
    order = 50
    short_label = _("Enterprise")
    label = _("Enterprise standards self-declared by enterprises of the region")
    kind = IssuerKind.ENTERPRISE
    level = Level.ENTERPRISE
