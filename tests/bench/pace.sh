#!/bin/sh
# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# pace.sh FILE FROM: write FILE from line FROM on, 2000 lines at a time
# with a short pause between, as a busy smtpd would (stops on SIGTERM).
tail -n +"$2" "$1" | awk '{ print } NR % 2000 == 0 { fflush(); system("sleep 0.02") }'
