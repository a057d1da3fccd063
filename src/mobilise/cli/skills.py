"""`mobilise skills`: suggest ESCO or DDaT skills for free text, one text or a JSON Lines batch."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from mobilise.cli.context import EXIT_BAD_INPUT, err, out, reporting_bad_input
from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.skills import Suggestion
from mobilise.core.skills.blend import Blend
from mobilise.services.skill_inference import (
    MAX_TOP,
    available_method,
    fit_skill_blend,
    infer_skills,
    read_blend,
    read_esco_entries,
)
from mobilise.services.skill_model import (
    load_encoder,
    shipped_vectors_file,
    skill_vectors,
    write_vectors,
)

app = typer.Typer(help="Skills inferred from free text.", no_args_is_help=True)

# The evaluation format asks for at least ten labels per sentence, whatever --top says.
BATCH_MIN_RANKED = 10
BATCH_CHUNK = 512
STANDARD_STREAM = "-"


class TaxonomyName(StrEnum):
    esco = "esco"
    ddat = "ddat"


class MethodName(StrEnum):
    best = "best"
    fast = "fast"


def _suggestion_json(s: Suggestion) -> dict[str, Any]:
    return {"key": s.key, "label": s.label, "score": s.score, "start": s.start, "end": s.end}


def _read_sentences(path: Path) -> list[str]:
    """The "sentence" of every line of a JSON Lines file; InvalidInput naming each bad line."""
    return [str(record["sentence"]) for record in _read_records(path, ("sentence",))]


def _read_records(path: Path, strings: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The JSON objects of a JSON Lines file, each with a string at each key of `strings`."""
    source = str(path)
    try:
        raw = sys.stdin.buffer.read() if source == STANDARD_STREAM else path.read_bytes()
    except OSError as error:
        raise InvalidInput(
            [Problem(source, None, None, None, f"cannot be read: {error}")]
        ) from None
    records: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line.decode("utf-8"))
        except UnicodeDecodeError as error:
            problems.append(
                Problem(source, number, None, None, f"is not UTF-8 (byte {error.start + 1})")
            )
            continue
        except json.JSONDecodeError as error:
            problems.append(Problem(source, number, None, None, f"is not JSON: {error.msg}"))
            continue
        if not isinstance(record, dict):
            problems.append(Problem(source, number, None, None, "must be a JSON object"))
            continue
        bad = [key for key in strings if not isinstance(record.get(key), str)]
        for key in bad:
            shown = None if key not in record else json.dumps(record[key])
            problems.append(Problem(source, number, key, shown, "must be a string"))
        if not bad:
            records.append(record)
    if problems:
        raise InvalidInput(problems)
    return records


def _write_lines(path: Path, lines: Iterator[str]) -> None:
    if str(path) == STANDARD_STREAM:
        for line in lines:
            sys.stdout.write(line + "\n")
        return
    with path.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(line + "\n")


def _batch(
    sentences: list[str], taxonomy: TaxonomyName, top: int, method: MethodName, blend: Blend | None
) -> Iterator[str]:
    ranked_length = max(top, BATCH_MIN_RANKED)
    with Progress(
        TextColumn("Inferring skills"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task("infer", total=len(sentences))
        for first in range(0, len(sentences), BATCH_CHUNK):
            chunk = sentences[first : first + BATCH_CHUNK]
            results = infer_skills(
                chunk, taxonomy.value, ranked_length, method=method.value, blend=blend
            )
            for sentence, suggestions in zip(chunk, results, strict=True):
                ranked = [s.label for s in suggestions]
                yield json.dumps({"sentence": sentence, "ranked": ranked}, ensure_ascii=False)
            progress.advance(task, len(chunk))


def _text_argument(text: str) -> str:
    # Typer hands over undecodable command-line bytes as lone surrogates; say so plainly.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InvalidInput(
            [Problem("--text", None, None, None, f"is not UTF-8 (character {error.start + 1})")]
        ) from None
    return text


@app.command("infer")
def infer(
    text: str | None = typer.Option(None, "--text", help="The text to read."),
    input_file: Path | None = typer.Option(
        None,
        "--input",
        help='A JSON Lines file (or - for standard input) of objects with a "sentence".',
    ),
    output_file: Path | None = typer.Option(
        None,
        "--output",
        help='Where batch predictions go, one {"sentence", "ranked"} line per input line '
        "(default: standard output).",
    ),
    taxonomy: TaxonomyName = typer.Option(TaxonomyName.esco, help="Which skills to suggest."),
    top: int = typer.Option(10, min=1, max=MAX_TOP, help="How many skills per text."),
    method: MethodName = typer.Option(
        MethodName.best,
        help="best: lexical and sentence-embedding scorers blended; fast: lexical only.",
    ),
    blend_file: Path | None = typer.Option(
        None, "--blend", help="A blend written by `mobilise skills fit` instead of the shipped one."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Suggest skills for a text (--text) or for every sentence of a file (--input)."""
    if (text is None) == (input_file is None):
        err.print("[bold red]Give exactly one of --text and --input.[/]", highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT)
    if available_method(method.value, own_blend=blend_file is not None) != method.value:
        err.print(
            "The sentence-embedding model is not installed (make install): using --method fast.",
            highlight=False,
        )
    with reporting_bad_input():
        blend = None if blend_file is None else read_blend(blend_file)
        if input_file is not None:
            sentences = _read_sentences(input_file)
            lines = _batch(sentences, taxonomy, top, method, blend)
            _write_lines(output_file or Path(STANDARD_STREAM), lines)
            err.print(f"Inferred skills for {len(sentences)} sentence(s).", highlight=False)
            return
        assert text is not None
        suggestions = infer_skills(
            [_text_argument(text)], taxonomy.value, top, method=method.value, blend=blend
        )[0]
    if as_json:
        out.print_json(json.dumps([_suggestion_json(s) for s in suggestions]))
        return
    if not suggestions:
        err.print("No skills recognised in this text.", highlight=False)
        return
    table = Table("score", "skill", "key", "supported by")
    for s in suggestions:
        table.add_row(f"{s.score:.3f}", s.label, s.key, text[s.start : s.end])
    out.print(table)


# --- The crosswalk to the framework, tagging and batch jobs (skills in the product) ---


@app.command("crosswalk")
def crosswalk(
    framework: str | None = typer.Option(None, help="Framework version (default: the default)."),
    import_file: Path | None = typer.Option(
        None,
        "--import",
        help="A CSV of reviewed decisions (esco_uri, ddat_skill, decision accept|reject, note) "
        "to store; the export's shape.",
    ),
    export_file: Path | None = typer.Option(
        None, "--export", help="Write every link of the crosswalk as CSV (- for standard output)."
    ),
    compute: bool = typer.Option(
        False,
        "--compute",
        help="Rebuild the computed links (the default when neither --import nor --export is "
        "given); reviewed decisions are kept.",
    ),
    threshold: float = typer.Option(
        0.3, min=0.0, max=1.0, help="Least similarity for a computed link."
    ),
    per_esco: int = typer.Option(2, min=1, max=20, help="Framework skills per ESCO skill."),
) -> None:
    """Build, review (import) and export the ESCO to framework crosswalk."""
    from mobilise.cli.context import engine
    from mobilise.core.skills.crosswalk import CrosswalkRule
    from mobilise.services.skill_crosswalk import (
        compute_crosswalk,
        export_crosswalk_csv,
        import_reviews,
    )

    with reporting_bad_input():
        if import_file is not None:
            count = import_reviews(engine(), None, import_file, framework=framework)
            err.print(f"Stored {count} reviewed decision(s).", highlight=False)
        if compute or (import_file is None and export_file is None):
            with Progress(
                TextColumn("Reading skills against each other"),
                BarColumn(),
                MofNCompleteColumn(),
                console=err,
                transient=True,
            ) as bar:
                task = bar.add_task("crosswalk", total=None)
                summary = compute_crosswalk(
                    engine(),
                    None,
                    framework=framework,
                    rule=CrosswalkRule(threshold=threshold, per_esco=per_esco),
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                )
            err.print(
                f"Crosswalk of {summary.framework}: {summary.computed:,} computed links, "
                f"{summary.accepted_reviews} accepted and {summary.rejected_reviews} rejected "
                f"by review; {summary.esco_skills_mapped:,} ESCO skills map to "
                f"{summary.framework_skills_mapped} framework skills ({summary.seconds:.1f} s).",
                highlight=False,
            )
        if export_file is not None:
            _write_lines(
                export_file,
                (
                    line
                    for chunk in export_crosswalk_csv(engine(), framework=framework)
                    for line in chunk.splitlines()
                ),
            )


@app.command("tag")
def tag(
    top: int = typer.Option(10, min=1, max=MAX_TOP, help="Skills kept per learning item."),
) -> None:
    """Tag every learning item with the skills its title and description suggest."""
    from mobilise.cli.context import engine
    from mobilise.services.skill_tags import tag_learning_catalogue

    with (
        reporting_bad_input(),
        Progress(
            TextColumn("Tagging learning items"),
            BarColumn(),
            MofNCompleteColumn(),
            console=err,
            transient=True,
        ) as bar,
    ):
        task = bar.add_task("tag", total=None)
        summary = tag_learning_catalogue(
            engine(),
            None,
            top=top,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    err.print(
        f"Tagged {summary.items:,} learning items with {summary.tags:,} skills; "
        f"{summary.demand:,} sightings of skills no framework skill covers "
        f"({summary.seconds:.1f} s).",
        highlight=False,
    )


@app.command("calibrate")
def calibrate(
    output: Path = typer.Option(
        None, help="Where to write it (default: the shipped data/ddat/calibration.json)."
    ),
    precision: float = typer.Option(
        0.5, min=0.05, max=0.99, help="Share of held-out suggestions right at the threshold."
    ),
) -> None:
    """Calibrate DDaT scores on the framework's own words and derive the suggestion threshold."""
    from mobilise.services.skill_calibration import fit_ddat_calibration, shipped_calibration_file

    with reporting_bad_input():
        report = fit_ddat_calibration(target_precision=precision)
    target = output or shipped_calibration_file()
    target.write_text(report.to_json(), encoding="utf-8")
    err.print(
        f"{report.texts:,} texts, {report.pairs:,} scored pairs ({report.right:,} right). Held "
        f"out: Brier {report.brier_raw:.3f} raw, {report.brier_calibrated:.3f} calibrated; "
        f"threshold {report.threshold:.3f} (precision {report.precision:.2f}, recall "
        f"{report.recall:.2f}). Written to {target}.",
        highlight=False,
    )


@app.command("fit")
def fit(
    gold: Path = typer.Option(
        ..., help='JSON Lines of {"sentence": str, "labels": [ESCO preferred labels]}.'
    ),
    output: Path = typer.Option(..., help="Where the fitted blend (JSON) goes."),
    method: MethodName = typer.Option(MethodName.best, help="Which path's scorers to blend."),
    regularisation: float = typer.Option(
        1.0, min=1e-6, help="Inverse strength of the L2 penalty (scikit-learn's C)."
    ),
) -> None:
    """Fit the re-ranking blend on labelled sentences (only ever the validation split)."""
    with reporting_bad_input():
        records = _read_records(gold, ("sentence",))
        problems = [
            Problem(str(gold), number, "labels", None, "must be a list of strings")
            for number, record in enumerate(records, start=1)
            if not isinstance(record.get("labels"), list)
            or not all(isinstance(label, str) for label in record["labels"])
        ]
        if problems:
            raise InvalidInput(problems)
        blend = fit_skill_blend(
            [r["sentence"] for r in records],
            [r["labels"] for r in records],
            method.value,
            regularisation=regularisation,
        )
    output.write_text(blend.to_json() + "\n", encoding="utf-8")
    err.print(f"Fitted a blend of {len(blend.features)} features on {len(records)} sentence(s).")


@app.command("index")
def index(
    output: Path | None = typer.Option(
        None, help="Where the ESCO skill vectors go (default: the shipped file)."
    ),
    alt_labels: bool = typer.Option(
        False, help="Embed the 81,413 alternative labels too (about 4x the time and size)."
    ),
) -> None:
    """Embed every ESCO skill's label, alternative labels and description (takes minutes)."""
    output = output or shipped_vectors_file()
    encoder = load_encoder()
    if encoder is None:
        err.print("[bold red]The sentence-embedding model is not installed (make install).[/]")
        raise typer.Exit(EXIT_BAD_INPUT)
    entries = read_esco_entries()
    with Progress(
        TextColumn("Embedding skills"), BarColumn(), MofNCompleteColumn(), console=err
    ) as progress:
        task = progress.add_task("embed", total=None)
        vectors = skill_vectors(
            encoder,
            entries,
            lambda done, total: progress.update(task, completed=done, total=total),
            alt_labels=alt_labels,
        )
    write_vectors(output, entries, vectors)
    err.print(f"Wrote vectors of {len(entries)} skills to {output}.", highlight=False)
