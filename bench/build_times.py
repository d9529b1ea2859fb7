#!/usr/bin/env python3
"""Cold build times of Shoal under each build-speed lever (bench/BUILDING.md).

Each variant configures a fresh tree in a temporary directory with ccache off
and builds the given targets with -j(nproc); the table gives wall time and the
CPU time the compiler used (user + sys of every child), which moves less than
wall time when the machine is shared.

    python3 bench/build_times.py                      # the variants below, target shoal
    python3 bench/build_times.py --targets shoal unit_tests --variants levers none
"""
import argparse
import os
import resource
import shutil
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OFF = ["-DSHOAL_UNITY=OFF", "-DSHOAL_PCH=OFF", "-DSHOAL_SEPARATE_BOOST=OFF"]
VARIANTS = {
    "none-relwithdebinfo": ["-DCMAKE_BUILD_TYPE=RelWithDebInfo"] + OFF,
    "none": ["-DCMAKE_BUILD_TYPE=Release"] + OFF,
    "separate-boost": ["-DCMAKE_BUILD_TYPE=Release", "-DSHOAL_UNITY=OFF", "-DSHOAL_PCH=OFF"],
    "pch": ["-DCMAKE_BUILD_TYPE=Release", "-DSHOAL_UNITY=OFF", "-DSHOAL_SEPARATE_BOOST=OFF"],
    "unity": ["-DCMAKE_BUILD_TYPE=Release", "-DSHOAL_PCH=OFF", "-DSHOAL_SEPARATE_BOOST=OFF"],
    "unity-separate-boost": ["-DCMAKE_BUILD_TYPE=Release", "-DSHOAL_PCH=OFF"],
    "levers": ["-DCMAKE_BUILD_TYPE=Release"],
    "levers-relwithdebinfo": ["-DCMAKE_BUILD_TYPE=RelWithDebInfo"],
}


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def build(variant, targets, jobs):
    tree = tempfile.mkdtemp(prefix="shoal-build-")
    env = dict(os.environ, CCACHE_DISABLE="1")
    try:
        subprocess.run(["cmake", "-S", ROOT, "-B", tree, "-G", "Ninja", "-DSHOAL_BENCH=OFF",
                        "-DSHOAL_SANITIZED_TESTS=OFF", "-DCMAKE_CXX_COMPILER_LAUNCHER="] + VARIANTS[variant],
                       check=True, stdout=subprocess.DEVNULL, env=env)
        cpu0, t0 = children_cpu(), time.monotonic()
        subprocess.run(["cmake", "--build", tree, f"-j{jobs}", "--target"] + targets, check=True,
                       stdout=subprocess.DEVNULL, env=env)
        return time.monotonic() - t0, children_cpu() - cpu0
    finally:
        shutil.rmtree(tree, ignore_errors=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--targets", nargs="+", default=["shoal"])
    p.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    p.add_argument("--jobs", type=int, default=os.cpu_count())
    args = p.parse_args()
    print(f"| variant | wall s | CPU s | targets: {' '.join(args.targets)} |")
    print("|---|---:|---:|---|")
    for v in args.variants:
        wall, cpu = build(v, args.targets, args.jobs)
        print(f"| {v} | {wall:.0f} | {cpu:.0f} | |", flush=True)


if __name__ == "__main__":
    main()
