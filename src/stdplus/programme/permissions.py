"""Who may do what: the public reads, the "regulator" group keeps the register.

The group gets exactly what keeping the register needs: the custom `keep_register`
permission (the programme's own pages) and view/add/change on the programme's records and on
registry organizations (the admin). No delete permission anywhere: records are archived.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

REGULATOR_GROUP = "regulator"
KEEP_REGISTER = "programme.keep_register"
EDITABLE_MODELS = {
    "programme": [
        "organizationprofile",
        "issuercode",
        "participation",
        "expert",
        "position",
        "standardsbody",
        "pilot",
        "pilottask",
        "pilotstandard",
        "fundingscheme",
        "fundingitemtype",
        "fundingapplication",
        "priorityarea",
        "areaproject",
    ],
    "accounts": ["organization"],
    "support": ["policy"],
}
READ_ONLY_MODELS = {
    "programme": [
        "region",
        "pilotevent",
        "fundingevent",
        "matchevent",
        "projectevent",
        "auditevent",
        "matchcandidate",
        "evidencedocument",
    ],
    "declarations": ["declaration", "declarationevent"],
    "supervision": ["spotcheckevent", "schemeevent", "leaderevent", "rankingrun"],
}


def regulator_group_ensure(**kwargs) -> Group:
    group, _ = Group.objects.get_or_create(name=REGULATOR_GROUP)
    # The regulator also supervises self-declarations (suspends and reinstates them).
    wanted = [("programme", "keep_register"), ("declarations", "supervise_declaration")]
    # ... and runs spot checks and leader rankings (stdplus.supervision).
    wanted += [("supervision", "run_spotchecks")]
    for app, models in EDITABLE_MODELS.items():
        for model in models:
            wanted += [(app, f"{action}_{model}") for action in ("view", "add", "change")]
    for app, models in READ_ONLY_MODELS.items():
        wanted += [(app, f"view_{model}") for model in models]
    permissions = []
    for app, codename in wanted:
        permission = Permission.objects.filter(
            content_type__app_label=app, codename=codename
        ).first()
        if permission is not None:
            permissions.append(permission)
    group.permissions.set(permissions)
    return group


def can_keep_register(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(KEEP_REGISTER))
