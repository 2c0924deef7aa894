#!/usr/bin/env bash
# A one-node Slurm cluster on loopback for the tests (and for trying --runner slurm by hand):
# munged, slurmctld and slurmd with a private SLURM_CONF, state and free ports under DIR,
# nothing of /etc/slurm touched.
#
#   tests/support/slurm_cluster.sh start DIR   start it, wait until the node is idle, print
#                                              the SLURM_CONF to export
#   tests/support/slurm_cluster.sh stop DIR    cancel its jobs, stop the daemons by PID
#
# The node `localhost` (127.0.0.1) has 8 CPUs in the partition `local` (the default).
# Needs Debian's slurmctld, slurmd, slurm-client and munge (scripts/bootstrap) and root.
set -euo pipefail

usage() { sed -n '2,11s/^# \{0,1\}//p' "$0"; }
die() { echo "slurm_cluster: error: $*" >&2; exit 2; }

[[ $# -eq 2 ]] || { usage >&2; exit 2; }
action=$1
dir=$(mkdir -p "$2" && cd "$2" && pwd)

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

stop_pid_file() {
  local file=$1 pid
  [[ -f $file ]] || return 0
  pid=$(cat "$file")
  if kill "$pid" 2> /dev/null; then
    for _ in $(seq 100); do
      kill -0 "$pid" 2> /dev/null || break
      sleep 0.05
    done
    kill -9 "$pid" 2> /dev/null || true
  fi
  rm -f "$file"
}

case "$action" in
  start)
    for tool in munged mungekey slurmctld slurmd sinfo; do
      command -v "$tool" > /dev/null || [[ -x /usr/sbin/$tool ]] ||
        die "$tool not found (apt-get install slurmctld slurmd slurm-client munge)"
    done
    export PATH="$PATH:/usr/sbin"
    mkdir -p "$dir"/{state,spool,log,munge}
    # munged wants its socket folder reachable by all (o+x) and its key private.
    chmod 711 "$dir" "$dir/munge"
    [[ -f $dir/munge/munge.key ]] || mungekey --create --keyfile="$dir/munge/munge.key"
    chmod 600 "$dir/munge/munge.key"
    munged --socket="$dir/munge/sock" --key-file="$dir/munge/munge.key" \
      --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" \
      --seed-file="$dir/munge/seed" --force
    ctld_port=$(free_port)
    slurmd_port=$(free_port)
    while [[ $slurmd_port == "$ctld_port" ]]; do slurmd_port=$(free_port); done
    cat > "$dir/slurm.conf" <<CONF
ClusterName=qa
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/sock
SlurmUser=root
SlurmdUser=root
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SlurmdParameters=config_overrides
MinJobAge=600
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
NodeName=localhost NodeAddr=127.0.0.1 CPUs=8 RealMemory=1000 State=UNKNOWN
PartitionName=local Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
    export SLURM_CONF=$dir/slurm.conf
    slurmctld -i
    slurmd -N localhost
    for _ in $(seq 200); do
      if [[ $(sinfo -h -p local -o %t 2> /dev/null) == idle ]]; then
        echo "$SLURM_CONF"
        exit 0
      fi
      sleep 0.1
    done
    die "the node did not become idle in 20 s; see $dir/log"
    ;;
  stop)
    if [[ -f $dir/slurm.conf && -f $dir/slurmctld.pid ]]; then
      export SLURM_CONF=$dir/slurm.conf
      scancel --full --user=root 2> /dev/null || true
      for _ in $(seq 100); do
        [[ -z $(squeue -h 2> /dev/null) ]] && break
        sleep 0.1
      done
    fi
    stop_pid_file "$dir/slurmd.pid"
    stop_pid_file "$dir/slurmctld.pid"
    stop_pid_file "$dir/munge/munged.pid"
    ;;
  *) usage >&2; exit 2 ;;
esac
