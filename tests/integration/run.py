#!/usr/bin/python3
"""Runs every test_* function in tests/integration/test_*.py.

Each test is a plain function; a failed assert or any exception fails it.
Usage: run.py [--tls] [substring ...]  (only tests whose "file:function"
contains one; --tls runs tls_*.py instead, which need a TLS=1 build)
Prints "integration: N passed, N failed" last.
"""
import importlib.util
import os
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def main():
    args = sys.argv[1:]
    prefix = "test_"
    if args[:1] == ["--tls"]:
        prefix, args = "tls_", args[1:]
    only = args
    passed = failed = 0
    for fname in sorted(os.listdir(HERE)):
        if not (fname.startswith(prefix) and fname.endswith(".py")):
            continue
        spec = importlib.util.spec_from_file_location(fname[:-3], os.path.join(HERE, fname))
        mod = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(mod)
        except Exception:
            print(f"FAIL {fname}: import error")
            traceback.print_exc()
            failed += 1
            continue
        for name in sorted(n for n in dir(mod) if n.startswith("test_")):
            full = f"{fname}:{name}"
            if only and not any(o in full for o in only):
                continue
            fn = getattr(mod, name)
            if not callable(fn):
                continue
            t0 = time.monotonic()
            try:
                fn()
            except Exception:
                failed += 1
                print(f"FAIL {full}")
                traceback.print_exc()
            else:
                passed += 1
                print(f"ok   {full} ({time.monotonic() - t0:.2f}s)")
            sys.stdout.flush()
    print(f"integration: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
