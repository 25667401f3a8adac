# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# files.sh: what trail.sql holds, in order (sourced by make.sh and by
# tests/t-replay.sh, which replays the same with the mailtrail under
# test); DATA is tests/data.
REPLAY="$DATA/0.6/b-multi-rcpt.log $DATA/0.6/c-rset-quit.log
$DATA/0.6/k-local-delivery.log $DATA/0.6/relay-suite.log"
MAILLOG="$DATA/maillog/6.8/b-multi-rcpt.maillog
$DATA/maillog/6.8/relay-suite.maillog"
# an expiry of relay-suite's deferred envelope, in the format of smtpd
EXPIRE='relay: Expire for e6a2001748c30318: from=<alice@example.test>, to=<temp1@dest.test>, rcpt=<->, delay=4d, stat=Envelope expired'
