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
from mobilise.services.skill_inference import MAX_TOP, infer_skills

app = typer.Typer(help="Skills inferred from free text.", no_args_is_help=True)

# The evaluation format asks for at least ten labels per sentence, whatever --top says.
BATCH_MIN_RANKED = 10
BATCH_CHUNK = 512
STANDARD_STREAM = "-"


class TaxonomyName(StrEnum):
    esco = "esco"
    ddat = "ddat"


def _suggestion_json(s: Suggestion) -> dict[str, Any]:
    return {"key": s.key, "label": s.label, "score": s.score, "start": s.start, "end": s.end}


def _read_sentences(path: Path) -> list[str]:
    """The "sentence" of every line of a JSON Lines file; InvalidInput naming each bad line."""
    source = str(path)
    try:
        raw = sys.stdin.buffer.read() if source == STANDARD_STREAM else path.read_bytes()
    except OSError as error:
        raise InvalidInput(
            [Problem(source, None, None, None, f"cannot be read: {error}")]
        ) from None
    sentences: list[str] = []
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
        elif not isinstance(record.get("sentence"), str):
            shown = None if "sentence" not in record else json.dumps(record["sentence"])
            problems.append(Problem(source, number, "sentence", shown, "must be a string"))
        else:
            sentences.append(record["sentence"])
    if problems:
        raise InvalidInput(problems)
    return sentences


def _write_lines(path: Path, lines: Iterator[str]) -> None:
    if str(path) == STANDARD_STREAM:
        for line in lines:
            sys.stdout.write(line + "\n")
        return
    with path.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(line + "\n")


def _batch(sentences: list[str], taxonomy: TaxonomyName, top: int) -> Iterator[str]:
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
            results = infer_skills(chunk, taxonomy.value, ranked_length)
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
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Suggest skills for a text (--text) or for every sentence of a file (--input)."""
    if (text is None) == (input_file is None):
        err.print("[bold red]Give exactly one of --text and --input.[/]", highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT)
    with reporting_bad_input():
        if input_file is not None:
            sentences = _read_sentences(input_file)
            _write_lines(output_file or Path(STANDARD_STREAM), _batch(sentences, taxonomy, top))
            err.print(f"Inferred skills for {len(sentences)} sentence(s).", highlight=False)
            return
        assert text is not None
        suggestions = infer_skills([_text_argument(text)], taxonomy.value, top)[0]
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
