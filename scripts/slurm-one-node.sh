#!/usr/bin/env bash
# A real one-node Slurm cluster on this machine, for the tests that run job arrays through
# `sbatch` (tests/slurm.rs) and for trying docs/scaling.md by hand. Not a mock: Debian's
# `slurm-wlm` and `munge` packages, slurmctld and slurmd as root, no accounting.
#
#   scripts/slurm-one-node.sh start    # write the config, start munged, slurmctld, slurmd;
#                                      # return once `sinfo` shows the node idle
#   scripts/slurm-one-node.sh stop     # stop the three daemons this script started
#   scripts/slurm-one-node.sh status   # sinfo, or exit 1 when the cluster is not reachable
#
# Needs root and the packages (`apt-get install -y slurm-wlm munge`). The config goes to
# /etc/slurm/slurm.conf (the path sinfo/sbatch read without SLURM_CONF); a slurm.conf this
# script did not write is never overwritten. Spool, logs and pid files live in
# $TOURNEY_SLURM_DIR (default /tmp/tourney-slurm). The settings that let it run in a container
# without systemd or cgroups: ProctrackType=proctrack/linuxproc, TaskPlugin=task/none,
# JobAcctGatherType=jobacct_gather/none, AccountingStorageType=accounting_storage/none.
set -euo pipefail

DIR="${TOURNEY_SLURM_DIR:-/tmp/tourney-slurm}"
CONF=/etc/slurm/slurm.conf
MARK="# written by tourney scripts/slurm-one-node.sh"
NODE="$(hostname -s)"

die() { echo "slurm-one-node: $*" >&2; exit 1; }

need_root() {
  [ "$(id -u)" -eq 0 ] || die "must run as root (slurmctld and slurmd run as root here)"
  for cmd in munged slurmctld slurmd sinfo scontrol; do
    command -v "$cmd" >/dev/null || die "$cmd not found: apt-get install -y slurm-wlm munge"
  done
}

write_config() {
  if [ -f "$CONF" ] && ! grep -qF "$MARK" "$CONF"; then
    die "$CONF exists and was not written by this script; refusing to overwrite it"
  fi
  mkdir -p "$DIR/ctld" "$DIR/d" /etc/slurm
  # The node's CPUs, sockets and memory as slurmd sees them (its first line, without UpTime).
  local hw
  hw="$(slurmd -C | head -n 1 | sed -e 's/^NodeName=[^ ]* //')"
  cat > "$CONF" <<CONF_EOF
$MARK
ClusterName=tourney
SlurmctldHost=$NODE
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
StateSaveLocation=$DIR/ctld
SlurmdSpoolDir=$DIR/d
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.log
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
Waittime=0
NodeName=$NODE $hw State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
CONF_EOF
}

start_munge() {
  if munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
    return 0 # a munged is already running and answers
  fi
  if [ ! -s /etc/munge/munge.key ]; then
    mkdir -p /etc/munge
    dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
  fi
  chown munge:munge /etc/munge /etc/munge/munge.key
  chmod 700 /etc/munge
  chmod 400 /etc/munge/munge.key
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  runuser -u munge -- /usr/sbin/munged
  echo started > "$DIR/munged.started"
  for _ in $(seq 1 50); do
    munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  die "munged did not answer"
}

node_idle() {
  [ "$(sinfo -h -n "$NODE" -o '%t' 2>/dev/null | head -n 1)" = "idle" ]
}

start() {
  need_root
  if node_idle; then
    echo "slurm-one-node: already running ($NODE idle)"
    return 0
  fi
  write_config
  start_munge
  slurmctld
  slurmd
  for _ in $(seq 1 300); do
    if node_idle; then
      sinfo
      return 0
    fi
    sleep 0.2
  done
  echo "slurm-one-node: node $NODE not idle after 60 s; logs:" >&2
  tail -n 20 "$DIR/slurmctld.log" "$DIR/slurmd.log" >&2 || true
  sinfo >&2 || true
  exit 1
}

stop_pid_file() {
  local file="$1" name="$2" pid
  [ -f "$file" ] || return 0
  pid="$(cat "$file")"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
  echo "slurm-one-node: stopped $name"
}

stop() {
  need_root
  stop_pid_file "$DIR/slurmd.pid" slurmd
  stop_pid_file "$DIR/slurmctld.pid" slurmctld
  if [ -f "$DIR/munged.started" ]; then
    stop_pid_file /run/munge/munged.pid munged
    rm -f "$DIR/munged.started"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) sinfo -h >/dev/null 2>&1 && sinfo || { echo "slurm-one-node: not reachable" >&2; exit 1; } ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
