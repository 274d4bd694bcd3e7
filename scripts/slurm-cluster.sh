#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for the tests of `mfnas search --live --executor
# slurm`: `start` writes a slurm.conf into a temporary folder, starts munged (if it is not
# running), slurmctld and slurmd, and waits until the node is idle; `stop` shuts them down
# and waits until they are gone. Needs root and Debian's packages:
#   apt-get install -y --no-install-recommends slurmd slurmctld slurm-client munge
#
#   scripts/slurm-cluster.sh start      # then: export SLURM_CONF="$MFNAS_SLURM_DIR/slurm.conf"
#   scripts/slurm-cluster.sh stop
#   scripts/slurm-cluster.sh status
#
# The folder is $MFNAS_SLURM_DIR (default /tmp/mfnas-slurm); client commands find the
# cluster through SLURM_CONF=$MFNAS_SLURM_DIR/slurm.conf.
set -euo pipefail
DIR="${MFNAS_SLURM_DIR:-/tmp/mfnas-slurm}"
CONF="$DIR/slurm.conf"
export SLURM_CONF="$CONF"

say() { printf '\033[1m[slurm]\033[0m %s\n' "$*" >&2; }

alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
pid_of() { [ -f "$1" ] && cat "$1" || true; }

start() {
  local missing=()
  for c in slurmctld slurmd sbatch squeue sinfo scontrol munged; do
    command -v "$c" >/dev/null || [ -x "/usr/sbin/$c" ] || missing+=("$c")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    say "Slurm is not installed (missing: ${missing[*]}); install it with:"
    say "  apt-get install -y --no-install-recommends slurmd slurmctld slurm-client munge"
    exit 1
  fi
  if [ "$(id -u)" != 0 ]; then
    say "starting the test cluster needs root (slurmd runs jobs as their users)"
    exit 1
  fi
  if alive "$(pid_of "$DIR/slurmctld.pid")"; then
    say "already running ($CONF)"
    return
  fi
  mkdir -p "$DIR/state" "$DIR/spool" "$DIR/log"
  # munge authenticates the daemons and clients to each other; its key is made at install.
  if ! alive "$(pid_of /run/munge/munged.pid)"; then
    mkdir -p /run/munge && chown munge:munge /run/munge
    runuser -u munge -- /usr/sbin/munged
    touch "$DIR/munged.ours"
  fi
  local node
  node="$(slurmd -C | head -1)"
  cat >"$CONF" <<EOF
ClusterName=mfnas-test
SlurmctldHost=$(hostname -s)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
ReturnToService=2
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
$node
PartitionName=main Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
  slurmctld -c
  slurmd -c
  local i
  for i in $(seq 1 300); do
    if [ "$(sinfo -h -o %T 2>/dev/null | head -1)" = idle ]; then
      say "one-node cluster up ($(nproc) CPUs): export SLURM_CONF=$CONF"
      return
    fi
    sleep 0.1
  done
  say "the node did not become idle within 30 s; logs in $DIR/log"
  sinfo >&2 || true
  exit 1
}

stop() {
  local ctld slurmd
  ctld="$(pid_of "$DIR/slurmctld.pid")"
  slurmd="$(pid_of "$DIR/slurmd.pid")"
  if alive "$ctld"; then
    scontrol shutdown >/dev/null 2>&1 || true
  fi
  # `scontrol shutdown` returns before the daemons exit: wait for them, then insist.
  local pid i
  for pid in $ctld $slurmd; do
    for i in $(seq 1 100); do alive "$pid" || break; sleep 0.1; done
    if alive "$pid"; then kill -9 "$pid" 2>/dev/null || true; fi
  done
  if [ -f "$DIR/munged.ours" ]; then
    pid="$(pid_of /run/munge/munged.pid)"
    if alive "$pid"; then
      kill "$pid" 2>/dev/null || true
      for i in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
    fi
    rm -f "$DIR/munged.ours"
  fi
  say "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) sinfo ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
