#!/usr/bin/env bash
# Fails when a focused test (.only) would silently skip the rest of the suite.
if grep -rnE '\b(it|test|describe)\.only\(' src test client/src bench 2>/dev/null; then
  echo "focused tests found: remove .only"; exit 1
fi
