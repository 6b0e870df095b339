#!/usr/bin/env bash
# scripts/cluster/local_slurm.sh start|stop|env DIR: a private single-node Slurm (slurmctld +
# slurmd + munged) as root without systemd, everything under DIR (ECOSYSTEM.md 3a; nothing is
# written to /etc/slurm and no running munged or Slurm of the machine is touched).
#   start  writes DIR/slurm.conf, starts munged (own socket), slurmctld and slurmd, waits until
#          the node is idle. Exit 0 ready; 77 Slurm cannot run here (not root, packages missing,
#          a daemon died at start; the log tail is printed); 1 other failure.
#   stop   stops the daemons by the PIDs in DIR/run/*.pid (never by name) and waits for them.
#   env    prints `export SLURM_CONF=...` for clients (sbatch, squeue, scontrol).
# Ports: FTG_SLURM_PORT (slurmctld; slurmd uses +1), default 16817. Packages: scripts/setup.sh
# --cluster installs slurmctld slurmd slurm-client munge.
set -euo pipefail
cmd=${1:?usage: local_slurm.sh start|stop|env DIR}
S=${2:?usage: local_slurm.sh start|stop|env DIR}
mkdir -p "$S"
S=$(cd "$S" && pwd)
PORT=${FTG_SLURM_PORT:-16817}

stop_pid() {  # stop_pid PIDFILE: TERM, wait up to 10 s, then KILL
  local pf=$1 pid
  [ -s "$pf" ] || return 0
  pid=$(cat "$pf")
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

case "$cmd" in
env)
  echo "export SLURM_CONF=$S/slurm.conf"
  ;;
stop)
  stop_pid "$S/run/slurmd.pid"
  stop_pid "$S/run/slurmctld.pid"
  stop_pid "$S/munge/munged.pid"
  ;;
start)
  skip() { echo "local_slurm: SKIP: $*" >&2; exit 77; }
  [ "$(id -u)" -eq 0 ] || skip "needs root (slurmd runs jobs as their user)"
  for b in /usr/sbin/slurmctld /usr/sbin/slurmd /usr/sbin/munged /usr/bin/sbatch /usr/bin/munge; do
    [ -x "$b" ] || skip "$b is not installed (scripts/setup.sh --cluster)"
  done
  [ -r /etc/munge/munge.key ] || skip "/etc/munge/munge.key is missing (munge's postinst creates it)"
  mkdir -p "$S"/{state,spool,log,run,munge}
  chown munge:munge "$S/munge"
  chmod 0755 "$S/munge"  # munged: the socket directory must be searchable by all
  H=$(hostname -s)
  NCPU=$(nproc)
  MEM=$(( $(awk '/MemTotal/{print $2}' /proc/meminfo) / 1024 - 1024 ))  # above real RAM drains the node
  [ "$MEM" -gt 256 ] || MEM=256
  SOCK=$S/munge/munge.socket
  cat > "$S/slurm.conf" <<CONF
ClusterName=ftgci
SlurmctldHost=$H(127.0.0.1)
AuthType=auth/munge
AuthInfo=socket=$SOCK
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/run/slurmctld.pid
SlurmdPidFile=$S/run/slurmd.pid
SlurmctldLogFile=$S/log/slurmctld.log
SlurmdLogFile=$S/log/slurmd.log
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
MpiDefault=none
SlurmctldTimeout=30
SlurmdTimeout=30
MinJobAge=300
NodeName=$H NodeAddr=127.0.0.1 CPUs=$NCPU RealMemory=$MEM State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF=$S/slurm.conf
  # munged refuses to run as root; its own socket, pid, log and seed files under DIR.
  runuser -u munge -- /usr/sbin/munged --socket="$SOCK" --pid-file="$S/munge/munged.pid" \
      --log-file="$S/munge/munged.log" --seed-file="$S/munge/munged.seed" \
      || { tail -5 "$S/munge/munged.log" >&2 2>/dev/null; skip "munged did not start"; }
  munge --socket="$SOCK" -n | unmunge --socket="$SOCK" > /dev/null || skip "munge round trip failed"
  /usr/sbin/slurmctld -f "$SLURM_CONF" || { tail -5 "$S/log/slurmctld.log" >&2; skip "slurmctld did not start"; }
  /usr/sbin/slurmd -f "$SLURM_CONF" || { tail -5 "$S/log/slurmd.log" >&2; skip "slurmd did not start"; }
  for _ in $(seq 1 120); do
    if sinfo -h -o %t 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then
      echo "local_slurm: ready: SLURM_CONF=$SLURM_CONF ($NCPU CPUs, port $PORT)"
      exit 0
    fi
    sleep 0.25
  done
  echo "local_slurm: the node did not become idle in 30 s; sinfo: $(sinfo -h 2>&1 | head -3)" >&2
  tail -5 "$S/log/slurmctld.log" "$S/log/slurmd.log" >&2
  exit 1
  ;;
*)
  echo "usage: local_slurm.sh start|stop|env DIR" >&2
  exit 2
  ;;
esac
