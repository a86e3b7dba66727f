from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from stdplus.core.commands import BatchCommand
from stdplus.importers.synthetic import write


class Command(BatchCommand):
    help = (
        "Benchmark helpers. `stdplus bench generate N --out FILE` writes N realistic synthetic "
        "standards (every level, editions replacing each other, dates, classes, adoptions) as "
        "JSON Lines for `stdplus import FILE`, which stores them under the source 'synthetic'."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        generate = sub.add_parser("generate", help="write synthetic standards")
        generate.add_argument("count", type=int, help="how many records")
        generate.add_argument(
            "--out",
            type=Path,
            default=Path("var/synthetic.jsonl"),
            help="the file to write (default: var/synthetic.jsonl)",
        )
        generate.add_argument("--seed", type=int, default=2026, help="random seed")

    def handle(self, *args, **options):
        out: Path = options["out"]
        out.parent.mkdir(parents=True, exist_ok=True)
        columns = [BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
        with Progress(*columns, transient=True) as bar:
            task = bar.add_task("generate", total=options["count"])
            written = write(
                out,
                options["count"],
                seed=options["seed"],
                progress=lambda n: bar.update(task, completed=n),
            )
        self.stdout.write(f"wrote {written} synthetic records to {out}")
