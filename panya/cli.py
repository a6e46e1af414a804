"""``panya``: the one command line. ``panya --help`` lists the subcommands."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from panya.settings import apply_offline_environment, get_settings, hide_torch

EXIT_FAILURES = 1  # ran, but some input failed
EXIT_ERROR = 2  # could not run


def main(argv: list[str] | None = None) -> int:
    apply_offline_environment()
    args = _parser().parse_args(argv)
    if argv is None:  # a ``panya`` process, not a call from Python that may want torch later
        try:
            hide_torch(get_settings().embedder)
        except ValueError:  # (a setting that does not parse: the command says so below)
            pass
    from index.stores.schema import EmbeddingModelMismatch, StoreLocked

    try:
        return args.handler(args)
    except (
        StoreLocked,
        EmbeddingModelMismatch,
        FileNotFoundError,
        ValueError,
        PermissionError,
        OSError,
    ) as error:
        print(f"panya: {error}", file=sys.stderr)
        return EXIT_ERROR


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="panya", description="Panya (ปัญญา): Thai community knowledge search."
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    ingest = commands.add_parser("ingest", help="ingest a folder (recursively) or one file")
    ingest.add_argument("path", type=Path)
    ingest.add_argument("--json", action="store_true", help="print the report as JSON")
    ingest.add_argument("--no-progress", action="store_true", help="no progress bar")
    ingest.add_argument(
        "--api", metavar="URL", help="send the files to a running `panya serve` (e.g. http://127.0.0.1:8000)"
    )
    ingest.add_argument("--key", help="write key for --api (default: the first of PANYA_WRITE_KEYS)")
    ingest.add_argument(
        "--mapping",
        type=Path,
        metavar="M.yaml",
        help="read a foreign CSV/JSONL file through this mapping of its columns to Panya fields "
        "(default: <name>.mapping.yaml beside the file, when there is one)",
    )
    ingest.set_defaults(handler=_ingest)

    search = commands.add_parser("search", help="search the archive")
    search.add_argument("query")
    _request_options(search)
    search.add_argument(
        "--include-restricted",
        action="store_true",
        help="also show restricted sources (for the archive's own staff)",
    )
    search.add_argument("--json", action="store_true")
    search.set_defaults(handler=_search)

    delete = commands.add_parser("delete", help="remove a source (or a whole catalogue) from the index")
    delete.add_argument("source_id")
    delete.set_defaults(handler=_delete)

    rebuild = commands.add_parser(
        "rebuild", help="re-index every kept original with the current settings (old store moved aside)"
    )
    rebuild.add_argument("--json", action="store_true")
    rebuild.set_defaults(handler=_rebuild)

    evaluate = commands.add_parser(
        "eval", help="measure retrieval on a QA data set (iApp zip/jsonl, SQuAD json)"
    )
    evaluate.add_argument("dataset", type=Path)
    evaluate.add_argument(
        "--split",
        default="test",
        help="the split whose questions are asked (iApp: test, valid, train); passages come from all",
    )
    evaluate.add_argument("--limit-queries", type=int, help="only the first N queries (a quick look)")
    evaluate.add_argument(
        "--index-dir",
        type=Path,
        help="keep the task's index here and reuse it next time (same task, same settings)",
    )
    evaluate.add_argument("--json", action="store_true")
    evaluate.set_defaults(handler=_eval)

    restore = commands.add_parser("restore", help="bring a deleted source back from the trash")
    restore.add_argument("source_id")
    restore.set_defaults(handler=_restore)

    purge = commands.add_parser(
        "purge", help="remove for good what was trashed more than PANYA_TRASH_RETENTION_DAYS ago"
    )
    purge.add_argument("--older-than", type=float, metavar="DAYS", help="instead of the setting")
    purge.set_defaults(handler=_purge)

    staff = commands.add_parser("staff", help="staff accounts for the web pages")
    staff.add_argument("action", choices=["add", "list"])
    staff.add_argument("name", nargs="?")
    staff.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    staff.set_defaults(handler=_staff)

    export = commands.add_parser(
        "export",
        help="export the archive (or what a query finds) as CSV or JSONL that `panya ingest` reads back",
    )
    export.add_argument("query", nargs="?", default="", help="only the sources this finds (default: all)")
    _request_options(export)
    export.add_argument("--format", dest="export_format", choices=["jsonl", "csv"],
                        help="default: from --out's name (.csv), else jsonl")  # fmt: skip
    export.add_argument("--out", type=Path, help="file to write (default: standard output)")
    export.add_argument("--base-url", help="where the archive is served, for permalinks (default: host:port)")
    export.add_argument("--include-restricted", action="store_true", help="also export restricted sources")
    export.set_defaults(handler=_export)

    sync = commands.add_parser(
        "sync", help="send this centre's sources to a province's Panya (only what is new or changed)"
    )
    sync.add_argument(
        "--to", required=True, metavar="URL", help="the province's Panya, e.g. https://panya.ubon.go.th"
    )
    sync.add_argument("--key", help="a write key of the province (default: PANYA_SYNC_KEY)")
    sync.add_argument("--centre", help="this centre's name there (default: PANYA_CENTRE)")
    sync.add_argument(
        "--via",
        metavar="LOCAL_URL",
        help="while `panya serve` runs here (it owns the store), ask it to sync, e.g. http://127.0.0.1:8000",
    )
    sync.add_argument(
        "--local-key", help="this server's write key for --via (default: the first of PANYA_WRITE_KEYS)"
    )
    sync.add_argument("--json", action="store_true", help="print the report as JSON")
    sync.set_defaults(handler=_sync)

    serve = commands.add_parser("serve", help="serve the web UI and the JSON API")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.set_defaults(handler=_serve)
    return parser


def _request_options(parser: argparse.ArgumentParser) -> None:
    """One ``--option`` per field of the search request, from its declaration (name, type, choices, help)."""
    from typing import Literal, get_args, get_origin

    from query.request import SearchRequest

    for name, field in SearchRequest.model_fields.items():
        if name == "q":
            continue
        # `Literal[...]` or `Literal[...] | None` gives choices; `int | None`, `float | None` a type
        annotation = field.annotation
        kinds = (
            [annotation] if get_origin(annotation) is Literal else list(get_args(annotation) or (annotation,))
        )
        kinds = [kind for kind in kinds if kind is not type(None)]
        choices = [
            choice for kind in kinds if get_origin(kind) is Literal for choice in get_args(kind)
        ] or None
        convert: type = int if int in kinds else float if float in kinds else str
        parser.add_argument(
            f"--{name.replace('_', '-')}",
            dest=name,
            type=str if choices else convert,
            choices=choices,
            default=field.default,
            help=field.description,
        )


def _ingest(args) -> int:
    from panya.archive import Archive
    from panya.ingestion import ingest_path

    if args.mapping:
        from ingest.mapping import beside

        if args.api:
            raise ValueError("--mapping works on this machine's archive, not through --api")
        with beside(args.path, args.mapping) as staged:
            return _ingest(argparse.Namespace(**(vars(args) | {"path": staged, "mapping": None})))
    if args.api:
        from panya.remote import ingest_through_api

        keys = get_settings().write_keys
        key = args.key or (keys[0].get_secret_value() if keys else None)
        report = ingest_through_api(args.path, args.api, key)
    else:
        with Archive(get_settings()) as archive:
            report = ingest_path(
                archive, args.path, progress=False if args.no_progress or args.json else None
            )
    if args.json:
        print(report.model_dump_json(indent=2))
    else:
        for failure in report.failed:
            print(f"failed: {failure}", file=sys.stderr)
        for warning in report.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(report.summary())
    return EXIT_FAILURES if report.failed else 0


def _rebuild(args) -> int:
    from panya.ingestion import rebuild

    report, previous = rebuild(get_settings(), progress=False if args.json else None)
    if args.json:
        print(
            json.dumps(
                report.model_dump(mode="json") | {"previous_store": str(previous) if previous else None},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        if previous:
            print(f"the previous store was moved to {previous}")
        print(report.summary())
    return EXIT_FAILURES if report.failed else 0


def _search(args) -> int:
    from panya.archive import Archive
    from query.request import SearchRequest

    fields = {name: getattr(args, name) for name in SearchRequest.model_fields if name != "q"}
    request = SearchRequest(q=args.query, **fields)
    with Archive(get_settings()) as archive:
        page = archive.search(request, include_restricted=args.include_restricted)
    if args.json:
        print(page.model_dump_json(indent=2))
        return 0
    print(f"{page.total} sources for “{page.query}” ({page.took_ms} ms)")
    if page.showing_results_for:
        print(f"(nothing for what was typed: showing results for “{page.showing_results_for}”)")
    elif page.did_you_mean:
        print(f"did you mean: {page.did_you_mean}")
    if page.expanded:
        print("also searched for: " + ", ".join(page.expanded))
    if page.answer:
        print(f"\nanswer: {page.answer.text}\n   from {page.answer.title} ({page.answer.source_id})")
    if not page.results and page.closest:
        print("nearest (not answers): " + "; ".join(f"{r.title} ({r.source_id})" for r in page.closest))
    for rank, result in enumerate(page.results, start=request.offset + 1):
        where = ", ".join(filter(None, [result.meta.get("village"), result.meta.get("province")]))
        print(f"\n{rank}. {result.title}  [{result.type}{', ' + where if where else ''}]  {result.score:.3f}")
        print(f"   {result.source_id}{_timing(result)}")
        print(f"   {_terminal_snippet(result.snippet)}")
    return 0


def _timing(result) -> str:
    from query.sources import clock

    if result.start is None:
        return ""
    speakers = ", ".join(result.meta.get("speakers", []))
    return f"  ⏱ {clock(result.start)}–{clock(result.end)}" + (f"  🗣 {speakers}" if speakers else "")


def _terminal_snippet(snippet: str) -> str:
    import html

    bold = sys.stdout.isatty()
    text = re.sub(r"<mark>(.*?)</mark>", r"\033[1m\1\033[0m" if bold else r"[\1]", snippet)
    return html.unescape(text).replace("\n", " ")


def _delete(args) -> int:
    from panya.archive import Archive
    from panya.ingestion import delete_source

    with Archive(get_settings()) as archive:
        removed = delete_source(archive, args.source_id)
    if not removed:
        print(f"panya: no source {args.source_id!r} in the index", file=sys.stderr)
        return EXIT_FAILURES
    print(f"removed {args.source_id} ({removed} chunks); its original is in the trash")
    return 0


def _restore(args) -> int:
    from panya.archive import Archive
    from panya.trash import NothingToRestore, RestoreConflict, restore

    with Archive(get_settings()) as archive:
        try:
            report = restore(archive, args.source_id)
        except (NothingToRestore, RestoreConflict) as error:
            print(f"panya: {error}", file=sys.stderr)
            return EXIT_FAILURES
    print(f"restored {args.source_id}: {report.summary()}")
    return EXIT_FAILURES if report.failed else 0


def _purge(args) -> int:
    from panya.trash import purge

    settings = get_settings()
    purged = purge(settings, args.older_than)
    days = settings.trash_retention_days if args.older_than is None else args.older_than
    print(f"purged {len(purged)} sources trashed more than {days:g} days ago")
    for source_id in purged:
        print(f"  {source_id}")
    return 0


def _staff(args) -> int:
    import getpass

    from panya.staff import StaffAccounts

    accounts = StaffAccounts(get_settings().data_dir)
    if args.action == "list":
        print("\n".join(accounts.names()))
        return 0
    if not args.name:
        raise ValueError("panya staff add NAME")
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"password for {args.name}: ")
        if getpass.getpass("again: ") != password:
            raise ValueError("the two passwords differ")
    accounts.add(args.name, password)
    print(f"staff account {args.name!r} saved")
    return 0


def _eval(args) -> int:
    from panya.evaluation.datasets import load_task
    from panya.evaluation.runner import run_evaluation

    task = load_task(args.dataset, args.split)
    if args.limit_queries:
        kept = list(task.queries)[: args.limit_queries]
        task.queries = {qid: task.queries[qid] for qid in kept}
        task.qrels = {qid: task.qrels[qid] for qid in kept}
    report = run_evaluation(
        task, get_settings(), progress=False if args.json else None, index_dir=args.index_dir
    )
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(f"{report['queries']} queries, {report['passages']} passages ({report['chunks']} chunks)")
        for name, value in report["metrics"].items():
            print(f"  {name:8} {value:.4f}")
        print("  " + ", ".join(f"{k} {v}" for k, v in report["timing"].items()))
    return 0


def _export(args) -> int:
    from panya.archive import Archive
    from query.export import export_rows, lines
    from query.request import SearchRequest
    from search_api.routes.pages import source_url

    settings = get_settings()
    form = args.export_format or ("csv" if args.out and args.out.suffix.lower() == ".csv" else "jsonl")
    base = (args.base_url or f"http://{settings.host}:{settings.port}").rstrip("/")
    fields = {name: getattr(args, name) for name in SearchRequest.model_fields if name != "q"}
    request = SearchRequest(q=args.query, **fields)
    count = 0
    with Archive(settings) as archive:
        rows = export_rows(archive, request, args.include_restricted, lambda sid: base + source_url(sid))
        out = args.out.open("w", encoding="utf-8", newline="") if args.out else sys.stdout
        try:
            for line in lines(rows, form):
                out.write(line)
                count += 1
        finally:
            if args.out:
                out.close()
    if args.out:
        print(f"exported {max(count - (form == 'csv'), 0)} sources to {args.out}", file=sys.stderr)
    return 0


def _sync(args) -> int:
    import httpx

    from panya.archive import Archive
    from panya.sync import SyncError, bearer, sync

    settings = get_settings()
    centre = args.centre or settings.centre
    key = args.key or (settings.sync_key.get_secret_value() if settings.sync_key else None)
    if not centre or not key:
        raise ValueError(
            "say which centre this is and give the province's write key: --centre NAME --key KEY"
        )
    headers = bearer(key)
    with (
        Archive(settings) as archive,
        httpx.Client(
            base_url=args.to.rstrip("/"), headers=headers, timeout=httpx.Timeout(600, connect=10)
        ) as client,
    ):
        try:
            report = sync(archive, client, centre)
        except SyncError as error:
            print(f"panya sync: {error}", file=sys.stderr)
            return EXIT_FAILURES
    print(report.model_dump_json(indent=2) if args.json else report.summary())
    return EXIT_FAILURES if report.failed else 0


def _sync_via(local: str, local_key: str | None, settings, to: str, key: str, centre: str):
    import httpx

    from panya.sync import SyncError, SyncReport

    local_key = local_key or (settings.write_keys[0].get_secret_value() if settings.write_keys else "")
    response = httpx.post(
        local.rstrip("/") + "/api/sync/push",
        json={"to": to, "key": key, "centre": centre},
        headers={"Authorization": f"Bearer {local_key}"},
        timeout=3600,
    )
    if response.is_error:
        raise SyncError(f"{local} answered {response.status_code}: {response.text[:300]}")
    return SyncReport.model_validate_json(response.content)


SERVER_SWITCH_INTERVAL = 0.001


def _serve(args) -> int:
    import uvicorn

    from search_api.app import create_app

    settings = get_settings()
    # a thread holding the GIL hands it on after this long when another waits (CPython: 5 ms): the
    # event loop, which answers health checks and reads every request, waits less for its turn
    sys.setswitchinterval(SERVER_SWITCH_INTERVAL)
    uvicorn.run(create_app(settings), host=args.host or settings.host, port=args.port or settings.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
