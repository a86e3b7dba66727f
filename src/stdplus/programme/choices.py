"""The programme's vocabularies: each a TextChoices with English source labels (zh in locale)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RegionLevel(models.TextChoices):
    COUNTRY = "country", _("Country")
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DISTRICT = "district", pgettext_lazy("region level", "District")
    AREA = "area", _("Functional area")


class ParticipationRole(models.TextChoices):
    LEAD = "lead", _("Lead drafter")
    DRAFTER = "drafter", _("Participating drafter")
    PROJECT_LEADER = "project_leader", _("Project leader (international)")
    CONVENOR = "convenor", _("Convenor (international)")


# Roles that count as "leading" for funding and for the split of participation figures.
LEAD_ROLES = frozenset(
    {ParticipationRole.LEAD, ParticipationRole.PROJECT_LEADER, ParticipationRole.CONVENOR}
)


class RecordSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    UPLOAD = "upload", _("Spreadsheet upload")
    MATCHED = "matched", _("Matched from catalog drafting organizations")
    REVIEWED = "reviewed", _("Accepted from the review queue")
    DECLARATION = "declaration", _("Self-declaration register")
    DEMO = "demo", _("Demo data")


class MatchState(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", pgettext_lazy("match", "Rejected")


class IssuerKind(models.TextChoices):
    GROUP = "group", _("Group standards (T/)")
    ENTERPRISE = "enterprise", _("Enterprise standards (Q/)")


class BodyFamily(models.TextChoices):
    ISO = "iso", _("ISO")
    IEC = "iec", _("IEC")
    ITU = "itu", _("ITU")
    NATIONAL = "national", _("National technical committee")
    OTHER = "other", _("Other")


class CommitteeLevel(models.TextChoices):
    TC = "tc", _("Technical committee")
    SC = "sc", _("Subcommittee")
    WG = "wg", _("Working group")
    OTHER = "other", _("Other body")


class PositionRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    SECRETARY = "secretary", _("Secretary")
    CONVENOR = "convenor", _("Convenor")
    PROJECT_LEADER = "project_leader", _("Project leader")
    MEMBER = "member", pgettext_lazy("committee", "Member")
    DELEGATE = "delegate", _("Delegate")


# Positions the city counts as "key positions" (chairs, secretariats, convenors, project leaders).
KEY_POSITIONS = frozenset(
    {
        PositionRole.CHAIR,
        PositionRole.VICE_CHAIR,
        PositionRole.SECRETARY,
        PositionRole.CONVENOR,
        PositionRole.PROJECT_LEADER,
    }
)


class BodyKind(models.TextChoices):
    INTERNATIONAL_TC = "intl_tc", _("ISO/IEC technical committee secretariat")
    INTERNATIONAL_SC = "intl_sc", _("ISO/IEC subcommittee secretariat")
    NATIONAL_TC = "national_tc", _("National technical committee secretariat")
    NATIONAL_SC = "national_sc", _("National subcommittee secretariat")
    ASSOCIATION = "association", _("Standards association")
    ALLIANCE = "alliance", _("Standards alliance")


class PilotLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")


class PilotState(models.TextChoices):
    """The pilot lifecycle's states; its steps are the table in programme.lifecycles.PILOT."""

    APPROVED = "approved", _("Approved")
    IN_PROGRESS = "in_progress", _("In progress")
    UNDER_EVALUATION = "under_evaluation", _("Under evaluation")
    COMPLETED = "completed", _("Completed")
    TERMINATED = "terminated", _("Terminated")


class EvaluationResult(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class PilotStandardUse(models.TextChoices):
    PRODUCED = "produced", _("Produced")
    APPLIED = "applied", _("Applied")


class FundingSubject(models.TextChoices):
    STANDARD = "standard", _("Work on a standard")
    PILOT = "pilot", _("Pilot project")


class WorkKind(models.TextChoices):
    ANY = "any", _("New or revision")
    NEW = "new", _("New standard")
    REVISION = "revision", _("Revision")


class RoleClass(models.TextChoices):
    ANY = "any", _("Lead or participate")
    LEAD = "lead", _("Lead")
    PARTICIPATE = "participate", _("Participate")


class ApplicationState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("funding application", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("funding application", "Submitted")
    UNDER_REVIEW = "under_review", pgettext_lazy("funding application", "Under review")
    MORE_EVIDENCE = "more_evidence", pgettext_lazy("funding application", "More evidence requested")
    APPROVED = "approved", pgettext_lazy("funding application", "Approved")
    REJECTED = "rejected", pgettext_lazy("funding application", "Rejected")
    PAID = "paid", pgettext_lazy("funding application", "Paid")
    WITHDRAWN = "withdrawn", pgettext_lazy("funding application", "Withdrawn")


# Applications that hold a claim on what they name (a later claim for the same thing waits).
CLAIM_HOLDING_STATES = frozenset(
    {
        ApplicationState.SUBMITTED,
        ApplicationState.UNDER_REVIEW,
        ApplicationState.MORE_EVIDENCE,
        ApplicationState.APPROVED,
        ApplicationState.PAID,
    }
)
# Applications whose award is decided: the amount counts against the caps and in the figures.
AWARDED_STATES = frozenset({ApplicationState.APPROVED, ApplicationState.PAID})


class EvidenceKind(models.TextChoices):
    """Documents a funding item may require (FundingItemType.evidence_required)."""

    PUBLICATION = "publication", _("Published text or publication notice of the standard")
    FOREWORD = "foreword", _("Foreword naming the drafting organizations")
    PROPOSAL_ADOPTION = "proposal_adoption", _("Proof that the proposal was adopted")
    EMPLOYMENT = "employment", _("Employment and social insurance proof of the experts")
    ATTENDANCE = "attendance", _("Attendance records of meetings")
    PILOT_ACCEPTANCE = "pilot_acceptance", _("Acceptance of the pilot project")
    OTHER = "other", _("Other document")


class ProjectState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class AuditAction(models.TextChoices):
    CREATE = "create", pgettext_lazy("action", "created")
    UPDATE = "update", pgettext_lazy("action", "changed")
    ARCHIVE = "archive", _("archived")
    RESTORE = "restore", _("restored")
    # Older rows only: a state change is now an event of the record's own lifecycle table.
    TRANSITION = "transition", _("state changed")
    DECIDE = "decide", pgettext_lazy("action", "decided")
