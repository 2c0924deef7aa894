#!/usr/bin/env python3
"""Generate run records (qa.run/1) for the benchmarks, deterministically.

    gen_records.py --project P --commit SHA --runs N [--scale X] [--seed S]
                   [--jsonl FILE] [--loose STORE] [--pack STORE]

--jsonl writes the records as JSON Lines (what qa-batch prints), --loose writes one run.json per
run into the store folder STORE (the layout before packs), --pack writes them as one uncompressed
pack of that commit (store/pack.hpp: qa.pack/1, with its index.json), as qa-batch would. Each run
has 3 declared metrics (psnr, ssim, bitrate), qatools' own, params and 2 output files named among
997 blobs; --loose and --pack also write those blobs into the store as placeholders (a pack is
written only when its blobs are stored; their bytes do not hash to their names, so qa-store verify
would flag them: the benchmarks read manifests, never outputs). --scale multiplies psnr and bitrate
(to make regressions); the same --seed gives the same records.
"""
import argparse
import json
import os
import random


POOL = [f"{(n * 2654435761 + 12345) * 0x9E3779B97F4A7C15 % (1 << 128):032x}" for n in range(997)]


def write_blobs(store):
    for hex_hash in POOL:
        folder = os.path.join(store, "cas", hex_hash[:2])
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, hex_hash[2:])
        if not os.path.exists(path):
            with open(path, "w") as out:
                out.write("bench placeholder\n")


def record(project, commit, i, scale, rng):
    label = "default" if i % 10 else "nightly"
    config = f"preset-{i % 7}"
    key = f"{label}/{config}/clip{i:06d}.yuv"
    psnr = 30 + (i % 97) / 10
    return {"schema": "qa.run/1", "project": project, "commit": commit, "branch": "main",
            "label": label, "key": key, "input": f"clip{i:06d}.yuv", "configs": [config],
            "params": {"preset": i % 7, "qp": 20 + i % 30},
            "status": "ok" if i % 997 else "failed", "exit_code": 0 if i % 997 else 1,
            "metrics": {"psnr": round(psnr * scale + rng.uniform(-0.2, 0.2), 3),
                        "ssim": round(0.9 + rng.uniform(0, 0.09), 4),
                        "bitrate": round(1000 + (i % 500) * scale, 1),
                        "compute_time": round(rng.uniform(0.5, 2), 3), "peak_rss_mb": 120.5,
                        "is_failed": False},
            "badges": {"frames": 300}, "links": {},
            "timing": {"wall_s": 1.2, "user_s": 1.1, "sys_s": 0.1, "peak_rss_kb": 123392},
            "files": {"out.yuv": {"xxh128": POOL[rng.randrange(len(POOL))], "size": 3110400},
                      "stats.csv": {"xxh128": POOL[i % len(POOL)], "size": 2048}},
            "log": None, "output_dir": f"/ci/output/{key}", "started_at": "2026-11-25T03:00:00Z",
            "host": "ci-runner", "qatools_version": "0.1.0"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", required=True)
    parser.add_argument("--commit", required=True)
    parser.add_argument("--runs", type=int, required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--jsonl")
    parser.add_argument("--loose")
    parser.add_argument("--pack")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    records = [record(args.project, args.commit, i, args.scale, rng) for i in range(args.runs)]
    if args.jsonl:
        with open(args.jsonl, "w") as out:
            for r in records:
                out.write(json.dumps(r) + "\n")
    sha = args.commit
    if args.loose:
        write_blobs(args.loose)
        base = os.path.join(args.loose, args.project, "commits", sha[:2], sha[2:])
        for r in records:
            folder = os.path.join(base, r["key"])
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, "run.json"), "w") as out:
                json.dump(r, out)
    if args.pack:
        write_blobs(args.pack)
        folder = os.path.join(args.pack, args.project, "packs", sha[:2], sha[2:])
        os.makedirs(folder, exist_ok=True)
        name = "0000000000000000.pack"
        records.sort(key=lambda r: r["key"])
        header = {"schema": "qa.pack/1", "project": args.project, "commit": sha,
                  "records": len(records), "written_at": "2026-11-25T03:00:00Z",
                  "written_ns": 1795000000000000000}
        with open(os.path.join(folder, name), "w") as out:
            out.write(json.dumps(header, separators=(",", ":")) + "\n")
            for r in records:
                out.write(json.dumps(r, separators=(",", ":")) + "\n")
        with open(os.path.join(folder, "index.json"), "w") as out:
            json.dump({"schema": "qa.pack-index/1", "packs": [name]}, out)


if __name__ == "__main__":
    main()
