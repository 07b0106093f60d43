#!/usr/bin/env bash
# Starts a one-machine Slurm cluster (munged, slurmctld, slurmd) whose every file lives under DIR,
# for tests and for trying the Slurm runtime. Needs root and Debian's `slurm-wlm` and `munge`.
# Prints `export SLURM_CONF=DIR/slurm.conf`; stop it with stop-local.sh DIR, which kills exactly
# the pids recorded here (never daemons by name: another cluster may run beside this one).
#
# Environment: SLURM_LOCAL_PORT (slurmctld's port, default 6817; slurmd takes the next one), so
# two clusters on one machine do not collide.
set -euo pipefail
DIR=${1:?usage: start-local.sh DIR}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
for bin in munged slurmctld slurmd sinfo sbatch; do
  if ! command -v "$bin" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$bin" ]; then
    echo "start-local: $bin not found; install Debian's slurm-wlm and munge (apt-get install slurm-wlm munge)" >&2
    exit 2
  fi
done
export PATH="$PATH:/usr/sbin"
if [ -f "$DIR/pids" ]; then
  echo "start-local: $DIR/pids exists: a cluster may already run there (stop-local.sh $DIR first)" >&2
  exit 3
fi
mkdir -p "$DIR/state" "$DIR/spool" "$DIR/log" "$DIR/munge"
PORT=${SLURM_LOCAL_PORT:-6817}
H=$(hostname -s)
CPUS=$(nproc)
MEM=$(($(awk '/MemTotal:/{print int($2/1024)}' /proc/meminfo) - 1024))

# munge: a private key and socket, so this cluster needs nothing of /etc/munge or /run/munge.
[ -f "$DIR/munge/munge.key" ] || {
  dd if=/dev/urandom bs=1 count=1024 of="$DIR/munge/munge.key" status=none
  chmod 400 "$DIR/munge/munge.key"
}
chmod 700 "$DIR/munge"
SOCK="$DIR/munge/munge.socket"

cat >"$DIR/slurm.conf" <<CONF
ClusterName=local
SlurmctldHost=$H
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
AuthType=auth/munge
AuthInfo=socket=$SOCK
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1024
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=task=1
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
# Limits close to what was asked: no overtime, a short TERM-to-KILL wait, a fast scheduler cycle.
OverTimeLimit=0
KillWait=2
SchedulerParameters=sched_interval=1
MinJobAge=600
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/ctld.log
SlurmdLogFile=$DIR/log/d.log
SlurmUser=root
ReturnToService=2
NodeName=$H CPUs=$CPUS RealMemory=$MEM State=UNKNOWN
PartitionName=debug Nodes=$H Default=YES MaxTime=INFINITE State=UP
CONF

: >"$DIR/pids"
# -f: run as root with files that are not in munge's usual places.
munged -f --key-file="$DIR/munge/munge.key" --socket="$SOCK" \
  --pid-file="$DIR/munge/munged.pid" --log-file="$DIR/log/munged.log" \
  --seed-file="$DIR/munge/munged.seed"
for _ in $(seq 50); do [ -s "$DIR/munge/munged.pid" ] && break; sleep 0.1; done
echo "munged $(cat "$DIR/munge/munged.pid")" >>"$DIR/pids"

export SLURM_CONF="$DIR/slurm.conf"
slurmctld -c -f "$SLURM_CONF"
for _ in $(seq 50); do [ -s "$DIR/slurmctld.pid" ] && break; sleep 0.1; done
echo "slurmctld $(cat "$DIR/slurmctld.pid")" >>"$DIR/pids"
slurmd -c -f "$SLURM_CONF"
for _ in $(seq 50); do [ -s "$DIR/slurmd.pid" ] && break; sleep 0.1; done
echo "slurmd $(cat "$DIR/slurmd.pid")" >>"$DIR/pids"

for _ in $(seq 150); do
  state=$(sinfo -h -n "$H" -o '%t' 2>/dev/null || true)
  if [ "$state" = "idle" ]; then
    echo "export SLURM_CONF=$SLURM_CONF"
    exit 0
  fi
  sleep 0.2
done
echo "start-local: the node did not become idle within 30 s (last state: ${state:-none}); see $DIR/log" >&2
exit 4
