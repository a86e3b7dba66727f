from django.core.management.base import CommandError
from rich.console import Console

from stdplus.core.commands import BatchCommand
from stdplus.core.errors import ApplicationError
from stdplus.programme.choices import AuditAction
from stdplus.programme.models import FundingItemType, FundingScheme, Region
from stdplus.programme.reference import regions_load, schemes_load
from stdplus.programme.selectors import region_get
from stdplus.programme.services.audit import audit_log
from stdplus.programme.services.demo import DemoSize, demo_clear, demo_generate
from stdplus.programme.services.matching import drafting_organizations_match


class Command(BatchCommand):
    help = (
        "The Standards+ programme register. `demo --region 4403` loads a demo dataset (every row "
        "flagged demo) over the real catalog; `demo --clear` removes it. `match` links the "
        "drafting organizations on catalog entries to registry organizations (uncertain ones go "
        "to the review queue). `load-reference` reloads the region tree and example schemes."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        demo = sub.add_parser("demo", help="load (or --clear) the demo dataset")
        demo.add_argument("--region", default="4403", help="region node (code or short code)")
        demo.add_argument("--clear", action="store_true", help="remove every demo row and stop")
        demo.add_argument("--replace", action="store_true", help="remove demo rows, then load")
        demo.add_argument("--seed", type=int, default=2026, help="random seed")
        demo.add_argument("--organizations", type=int, help="how many organizations")
        demo.add_argument("--participations", type=int, help="how many participations")
        demo.add_argument("--experts", type=int, help="how many experts")
        sub.add_parser("match", help="match catalog drafting organizations to the registry")
        sub.add_parser("load-reference", help="reload regions.json and the example schemes")

    def handle(self, *args, **options):
        console = Console(stderr=True)
        try:
            getattr(self, "do_" + options["action"].replace("-", "_"))(options, console)
        except ApplicationError as error:
            raise CommandError(str(error)) from error

    def do_demo(self, options, console):
        if options["clear"] or options["replace"]:
            removed = demo_clear()
            self.stdout.write(f"removed {removed} demo rows")
            if options["clear"]:
                return
        region = region_get(options["region"])
        if region is None:
            raise CommandError(f"no region {options['region']!r}")
        size = DemoSize()
        for name in ("organizations", "participations", "experts"):
            if options[name]:
                setattr(size, name, options[name])
        with console.status("generating demo data") as status:
            report = demo_generate(
                region=region,
                size=size,
                seed=options["seed"],
                progress=lambda step, done, total: status.update(f"demo data: {step}"),
            )
        parts = ", ".join(
            f"{value} {name.replace('_', ' ')}" for name, value in vars(report).items()
        )
        self.stdout.write(f"demo data for {region.name_en} ({region.code}): {parts}")

    def do_match(self, options, console):
        report = drafting_organizations_match()
        self.stdout.write(
            f"{report.standards} catalog entries, {report.names} names: {report.linked} linked, "
            f"{report.already} already linked, {report.queued} sent to review "
            f"({report.unknown} with no registry organization)"
        )

    def do_load_reference(self, options, console):
        regions = regions_load(Region)
        root = Region.objects.filter(parent__isnull=True).order_by("pk").first()
        if root is not None:  # the reload is in the audit log (and moves the register's version)
            audit_log(instance=root, action=AuditAction.UPDATE, changes={"regions_loaded": regions})
        schemes = schemes_load(FundingScheme, FundingItemType, Region)
        self.stdout.write(f"{regions} regions, {schemes} new funding schemes")
