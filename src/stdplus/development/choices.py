from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    LOCAL = "local", _("Local standard")
    GROUP = "group", _("Group standard")


class Nature(models.TextChoices):
    NEW = "new", _("New standard")
    REVISION = "revision", _("Revision of a catalog standard")


class State(models.TextChoices):
    PROPOSED = "proposed", _("Proposal")
    APPROVED = "approved", _("Approved (project set up)")
    DRAFTING = "drafting", _("Drafting")
    COMMENT = "comment", _("Public comment")
    HANDLING = "handling", _("Comment handling")
    REVIEW = "review", _("Technical review")
    APPROVAL = "approval", _("Approval")
    NUMBERING = "numbering", _("Numbering")
    PUBLISHED = "published", _("Published (in the catalog)")
    FILED = "filed", _("Filed")
    REVIEW_DUE = "review_due", _("Periodic review due")
    REVISING = "revising", _("Being revised (periodic review)")
    ABOLISHED = "abolished", _("Abolished (periodic review)")
    SUSPENDED = "suspended", _("Suspended")
    TERMINATED = "terminated", _("Terminated")


# A group standard is not filed: its table's states are the same but for "filed".
GroupState = models.TextChoices(
    "GroupState", [(m.name, (m.value, m.label)) for m in State if m != State.FILED]
)

# Before approval a project is the proposer's and the officers' only.
PRIVATE_STATES = (State.PROPOSED,)
# States in which the work is going on (the dashboards' "active" projects).
ACTIVE_STATES = (
    State.APPROVED,
    State.DRAFTING,
    State.COMMENT,
    State.HANDLING,
    State.REVIEW,
    State.APPROVAL,
    State.NUMBERING,
)
# States of a standard in the catalog whose periodic review comes.
IN_FORCE_STATES = (State.PUBLISHED, State.FILED, State.REVIEW_DUE)


class CommentType(models.TextChoices):
    GENERAL = "ge", _("general")
    TECHNICAL = "te", _("technical")
    EDITORIAL = "ed", _("editorial")


class CommentSource(models.TextChoices):
    PUBLIC = "public", _("public comment")
    REVIEW = "review", _("technical review")


class Disposition(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    PARTLY = "partly", _("accepted in part")
    NOTED = "noted", _("noted")
    REJECTED = "rejected", _("not accepted")


class Position(models.TextChoices):
    APPROVE = "approve", _("approve")
    APPROVE_COMMENTS = "approve_comments", _("approve with comments")
    DISAPPROVE = "disapprove", _("disapprove with reasons")
    ABSTAIN = "abstain", _("abstain")


class DocumentKind(models.TextChoices):
    PROPOSAL = "proposal", _("proposal")
    PLAN = "plan", _("approval of the project")
    DRAFT = "draft", _("draft")
    DISPOSITIONS = "dispositions", _("comment summary and disposition table")
    REVIEW = "review", _("technical review minutes")
    APPROVAL = "approval", _("approval form")
    FINAL = "final", _("published text")
    FILING = "filing", _("filing receipt")
    OTHER = "other", _("other")
