/*
 * wp-reaper: runs one workflow node's command, measures its whole process tree exactly and kills
 * the tree whole.
 *
 *   wp-reaper --result FILE [--grace-ms N] [--cgroup DIR] [--samples FILE --interval-ms N]
 *             -- command [args...]
 *   wp-reaper --version
 *   wp-reaper --serve
 *
 * --serve is the runner's spawn helper (serve.h): started once per run, it forks this reaper per
 * node without exec (reap() below, in the forked child) and forwards output, result and exit as
 * frames, so a node does not pay Node's spawn of its whole process. The one-shot form stays for
 * Slurm and as the runner's fallback.
 *
 * --version prints one line, "wp-reaper RESULT_VERSION ARCH LIBC", and exits 0. The runner's
 * self-test (src/measure/reaperCheck.ts) runs the reaper on itself with --version before a run's
 * first node: a binary for another architecture, a missing libc or a broken build shows there,
 * and the run falls back to sampling instead of failing every node.
 *
 * The command runs in the reaper's process group (the runner starts the reaper as a group
 * leader; under --serve the reaper makes itself one), so the runner can still kill what is left with kill(-reaper pid) if the reaper itself
 * is SIGKILLed. With --cgroup, the command's process joins the cgroup2 directory DIR before it
 * execs, so every descendant (setsid and double forks included) is inside: the runner kills
 * them all with cgroup.kill and reads their exact CPU time from cpu.stat, even for children
 * reaped by the kernel (a parent ignoring SIGCHLD), whose rusage never reaches us. The reaper
 * stays outside, so its own /proc scans are not counted.
 *
 * Why a separate native process (see also src/tracking/reaper.ts):
 *  - It makes itself a child subreaper, so every orphan of the tree (double forks, daemons,
 *    setsid children) is re-parented to it and reaped by it with wait4. getrusage(RUSAGE_CHILDREN)
 *    then holds the exact CPU time, context switches and largest high-water mark of every process
 *    of the tree, and /proc/self/io holds their summed I/O (the kernel adds a reaped child's I/O
 *    accounting into its parent's), with nothing from any other node mixed in.
 *  - It is small, so its children's ru_maxrss does not inherit a large parent's high-water mark
 *    (Linux copies it across fork+exec; a Node wrapper would report Node's peak).
 *  - It kills the tree on cancel (SIGTERM/SIGINT), on its parent's death (parent-death signal)
 *    and kills stray descendants still alive when the main process exits.
 *
 * With --samples, the reaper also samples the tree every --interval-ms while the main process
 * runs and appends one JSON line per sample to FILE (see take_sample). That is for runs where no
 * runner sits beside the tree (a Slurm compute node): the series is written into the run folder
 * and merged when the job ends. Sampling costs the reaper's own CPU, memory and reads, none of
 * which reach the tree's totals (RUSAGE_CHILDREN holds children only; our reads are subtracted as
 * before, and so is every byte we write, see sample_flush).
 *
 * Signals are handled synchronously (blocked, then sigtimedwait), so there is no race between a
 * check and a wait, and no async-signal-safety concerns. The result is one JSON object written
 * atomically (temporary file, then rename). Exit status: the main process's exit code, or 128 +
 * signal number when it was killed by a signal, 127 when the command could not be executed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * Delivered when the process that started us dies. Catchable, so we can kill the tree first.
 * Reserved for that: a SIGHUP while our parent is alive is ignored.
 */
#define PARENT_DEATH_SIGNAL SIGHUP
/* While killing with SIGKILL, rescan for descendants this often (a process may fork meanwhile). */
#define KILL_RESCAN_NS (10 * 1000 * 1000LL)
#define MAX_PIDS 65536

/* The reaper's own reads, subtracted from the /proc/self/io delta so only the tree is reported. */
static uint64_t own_rchar, own_syscr;
/* The same for the samples file's writes: every write counter, measured around each write. */
static uint64_t own_wchar, own_syscw, own_write_bytes, own_cancelled_write_bytes;

static ssize_t counted_read(int fd, void *buf, size_t n) {
  ssize_t r = read(fd, buf, n);
  own_syscr++;
  if (r > 0) own_rchar += (uint64_t)r;
  return r;
}

/* Reads a small file whole into buf (NUL-terminated). Returns its length, or -1. */
static ssize_t read_small_file(const char *path, char *buf, size_t size) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  size_t len = 0;
  while (len + 1 < size) {
    ssize_t r = counted_read(fd, buf + len, size - 1 - len);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    len += (size_t)r;
  }
  close(fd);
  buf[len] = '\0';
  return (ssize_t)len;
}

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

struct io_counters {
  int ok;
  uint64_t rchar, wchar, syscr, syscw, read_bytes, write_bytes, cancelled_write_bytes;
};

static void read_io(const char *path, struct io_counters *io) {
  char buf[1024];
  memset(io, 0, sizeof(*io));
  if (read_small_file(path, buf, sizeof(buf)) <= 0) return;
  struct {
    const char *name;
    uint64_t *dst;
  } fields[] = {
      {"rchar:", &io->rchar},           {"wchar:", &io->wchar},
      {"syscr:", &io->syscr},           {"syscw:", &io->syscw},
      {"read_bytes:", &io->read_bytes}, {"write_bytes:", &io->write_bytes},
      {"cancelled_write_bytes:", &io->cancelled_write_bytes},
  };
  int found = 0;
  for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
    char *p = strstr(buf, fields[i].name);
    /* Match at a line start only ("write_bytes:" is also inside "cancelled_write_bytes:"). */
    while (p && p != buf && p[-1] != '\n') p = strstr(p + 1, fields[i].name);
    if (!p) continue;
    *fields[i].dst = strtoull(p + strlen(fields[i].name), NULL, 10);
    found++;
  }
  io->ok = found == (int)(sizeof(fields) / sizeof(fields[0]));
}

static void read_self_io(struct io_counters *io) { read_io("/proc/self/io", io); }

/*
 * Live descendants of this process, found by scanning every /proc/PID/stat for its parent pid.
 * Orphans of the tree are re-parented to us (subreaper), so the parent chain always leads here.
 * Zombies are left out: they are dead already and only need reaping.
 */
static size_t find_descendants(pid_t *out, size_t max) {
  static pid_t pids[MAX_PIDS], ppids[MAX_PIDS];
  static char states[MAX_PIDS];
  size_t n = 0;
  DIR *d = opendir("/proc");
  if (!d) return 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL && n < MAX_PIDS) {
    if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
    char path[64], buf[512];
    snprintf(path, sizeof(path), "/proc/%ld/stat", strtol(e->d_name, NULL, 10));
    if (read_small_file(path, buf, sizeof(buf)) <= 0) continue;
    char *close_paren = strrchr(buf, ')'); /* the command name may contain spaces and parens */
    if (!close_paren || close_paren[1] == '\0') continue;
    char state = close_paren[2];
    pids[n] = (pid_t)atoi(e->d_name);
    ppids[n] = (pid_t)atoi(close_paren + 4);
    states[n] = state;
    n++;
  }
  closedir(d);

  /* Breadth-first from ourselves over the parent links. */
  size_t count = 0, head = 0;
  static pid_t queue[MAX_PIDS];
  size_t qlen = 0;
  queue[qlen++] = getpid();
  while (head < qlen) {
    pid_t parent = queue[head++];
    for (size_t i = 0; i < n; i++) {
      if (ppids[i] != parent || pids[i] == parent) continue;
      if (qlen < MAX_PIDS) queue[qlen++] = pids[i];
      if (states[i] != 'Z' && states[i] != 'X' && count < max) out[count++] = pids[i];
    }
  }
  return count;
}

/* Sends sig to every live descendant; returns how many there were. */
static size_t signal_descendants(int sig) {
  static pid_t found[MAX_PIDS];
  size_t n = find_descendants(found, MAX_PIDS);
  for (size_t i = 0; i < n; i++) {
    kill(found[i], sig);
    /* A stopped process would not act on SIGTERM until continued. */
    if (sig == SIGTERM) kill(found[i], SIGCONT);
  }
  return n;
}

static int write_all(int fd, const char *buf, size_t len) {
  while (len > 0) {
    ssize_t w = write(fd, buf, len);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    buf += w;
    len -= (size_t)w;
  }
  return 0;
}

/*
 * --samples: the tree sampled from /proc while the main process runs, one JSON line per sample:
 *   {"t":EPOCH_MS,"cpuMs":…,"rssBytes":…,"threads":…,"processes":…,"readBytes":…,"writeBytes":…}
 * t is the wall clock (the runner elsewhere knows this machine only by its wall clock). cpuMs,
 * readBytes and writeBytes are cumulative over the tree's life so far: what we reaped (our
 * RUSAGE_CHILDREN and /proc/self/io since the start) plus every live descendant's own figures,
 * which include the children it reaped itself. A process that exits between two samples drops out
 * of the live sum before we reap it, so a reading can be low, never high; the reader keeps the
 * running maximum. readBytes and writeBytes are null when some process's io was unreadable.
 * rssBytes, threads and processes are the live descendants' sums at that instant.
 */
#define SAMPLE_BUF 16384
/* Lines are written in batches: a write per sample would be a round trip on network storage. */
#define SAMPLE_FLUSH_NS (1000 * 1000 * 1000LL)

struct sampler {
  int fd; /* -1: not sampling */
  int64_t interval_ns, next_ns, last_flush_ns;
  /* Our RUSAGE_CHILDREN before the command (a batch script that execs us may have run others). */
  struct rusage base;
  struct io_counters io_base;
  char buf[SAMPLE_BUF];
  size_t len;
};

static struct sampler sampler = {.fd = -1};

/*
 * Writes the buffered lines. Every write counter of /proc/self/io is read around the write and
 * the difference kept as ours: write_bytes is charged when a page is first dirtied, which depends
 * on the file system, so only a measurement is exact. Nothing else can move the counters in
 * between: we are single-threaded and children's I/O reaches ours only when we reap them.
 */
static void sample_flush(void) {
  if (sampler.fd < 0 || sampler.len == 0) return;
  struct io_counters a, b;
  read_self_io(&a);
  if (write_all(sampler.fd, sampler.buf, sampler.len) != 0) {
    perror("wp-reaper: writing the samples file");
    close(sampler.fd);
    sampler.fd = -1; /* the totals matter more than the series: stop sampling, go on */
  }
  read_self_io(&b);
  if (a.ok && b.ok) {
    own_wchar += b.wchar - a.wchar;
    own_syscw += b.syscw - a.syscw;
    own_write_bytes += b.write_bytes - a.write_bytes;
    own_cancelled_write_bytes += b.cancelled_write_bytes - a.cancelled_write_bytes;
  }
  sampler.len = 0;
  sampler.last_flush_ns = now_ns();
}

static int sampler_open(const char *path, long interval_ms) {
  sampler.fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (sampler.fd < 0) return -1;
  sampler.interval_ns = (int64_t)interval_ms * 1000000LL;
  return 0;
}

/* Arms the first sample one interval after the start, and records the baselines. */
static void sampler_start(int64_t start_ns) {
  getrusage(RUSAGE_CHILDREN, &sampler.base);
  read_self_io(&sampler.io_base);
  sampler.next_ns = start_ns + sampler.interval_ns;
  sampler.last_flush_ns = start_ns;
}

static int64_t tv_us(struct timeval tv) { return (int64_t)tv.tv_sec * 1000000LL + tv.tv_usec; }

static void take_sample(void) {
  static pid_t pids[MAX_PIDS];
  struct timespec wall;
  clock_gettime(CLOCK_REALTIME, &wall);
  struct rusage ru;
  getrusage(RUSAGE_CHILDREN, &ru);
  double cpu_ms = (double)(tv_us(ru.ru_utime) - tv_us(sampler.base.ru_utime) + tv_us(ru.ru_stime) -
                           tv_us(sampler.base.ru_stime)) /
                  1000.0;
  struct io_counters self;
  read_self_io(&self);
  int io_ok = self.ok && sampler.io_base.ok;
  long long read_bytes = (long long)(self.read_bytes - sampler.io_base.read_bytes);
  long long write_bytes = (long long)(self.write_bytes - sampler.io_base.write_bytes) -
                          (long long)own_write_bytes -
                          ((long long)(self.cancelled_write_bytes - sampler.io_base.cancelled_write_bytes) -
                           (long long)own_cancelled_write_bytes);
  long tick = sysconf(_SC_CLK_TCK), page = sysconf(_SC_PAGESIZE);
  if (tick <= 0) tick = 100;
  unsigned long long rss = 0, threads = 0;
  size_t processes = 0;
  size_t n = find_descendants(pids, MAX_PIDS);
  for (size_t i = 0; i < n; i++) {
    char path[64], buf[1024];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pids[i]);
    if (read_small_file(path, buf, sizeof(buf)) <= 0) continue; /* gone meanwhile */
    char *p = strrchr(buf, ')');
    if (!p) continue;
    /* Fields from 3 (state) on, space-separated; field k is f[k - 3]. */
    unsigned long long f[22] = {0};
    int k = 0;
    char *save = NULL;
    for (char *tok = strtok_r(p + 2, " ", &save); tok && k < 22; tok = strtok_r(NULL, " ", &save))
      f[k++] = strtoull(tok, NULL, 10);
    if (k < 22) continue;
    processes++;
    cpu_ms += (double)(f[11] + f[12] + f[13] + f[14]) * 1000.0 / (double)tick; /* 14-17 */
    threads += f[17];                                                        /* 20 num_threads */
    rss += f[21] * (unsigned long long)page;                                 /* 24 rss, pages */
    if (io_ok) {
      struct io_counters pio;
      snprintf(path, sizeof(path), "/proc/%d/io", (int)pids[i]);
      read_io(path, &pio);
      if (pio.ok) {
        read_bytes += (long long)pio.read_bytes;
        write_bytes += (long long)pio.write_bytes - (long long)pio.cancelled_write_bytes;
      } else {
        io_ok = 0; /* another user's process (setuid): a partial sum would be a lie */
      }
    }
  }
  char rb[32] = "null", wb[32] = "null";
  if (io_ok) {
    snprintf(rb, sizeof(rb), "%lld", read_bytes);
    snprintf(wb, sizeof(wb), "%lld", write_bytes);
  }
  if (sampler.len + 512 > SAMPLE_BUF) sample_flush();
  int len = snprintf(sampler.buf + sampler.len, SAMPLE_BUF - sampler.len,
                     "{\"t\":%lld.%03ld,\"cpuMs\":%.3f,\"rssBytes\":%llu,\"threads\":%llu,"
                     "\"processes\":%zu,\"readBytes\":%s,\"writeBytes\":%s}\n",
                     (long long)wall.tv_sec * 1000LL + wall.tv_nsec / 1000000L,
                     (wall.tv_nsec / 1000L) % 1000L, cpu_ms, rss, threads, processes, rb, wb);
  if (len > 0 && sampler.len + (size_t)len < SAMPLE_BUF) sampler.len += (size_t)len;
}

/* Samples when due; then flushes when the oldest buffered line is a second old. */
static void sampler_tick(int64_t now) {
  if (sampler.fd < 0 || now < sampler.next_ns) return;
  take_sample();
  sampler.next_ns += sampler.interval_ns;
  /* Behind (a stopped reaper, a slow /proc): skip the missed ticks rather than burst. */
  if (sampler.next_ns <= now) sampler.next_ns = now + sampler.interval_ns;
  if (now - sampler.last_flush_ns >= SAMPLE_FLUSH_NS) sample_flush();
}

static const char *usage =
    "usage: wp-reaper --result FILE [--grace-ms N] [--cgroup DIR] [--samples FILE --interval-ms N]\n"
    "                 -- command [args...]\n"
    "       wp-reaper --version\n"
    "       wp-reaper --serve\n";

/* The version of the result file's format: parseReaperResult accepts this one only. */
#define RESULT_VERSION 1
#if defined(__x86_64__)
#define REAPER_ARCH "x86_64"
#elif defined(__aarch64__)
#define REAPER_ARCH "aarch64"
#else
#define REAPER_ARCH "other"
#endif
/* glibc defines __GLIBC__; musl deliberately defines nothing to test for. */
#if defined(__GLIBC__)
#define REAPER_LIBC "glibc"
#else
#define REAPER_LIBC "musl"
#endif

/* Moves the calling process into the cgroup DIR; 0 or an errno. */
static int join_cgroup(const char *dir) {
  char path[4096], pid[32];
  snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
  int len = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  int err = write_all(fd, pid, (size_t)len) == 0 ? 0 : errno;
  close(fd);
  return err;
}

/* What the child tells the reaper through the exec pipe before exec. */
struct child_report {
  int what; /* 1: joining the cgroup failed (errno), 2: exec failed (errno) */
  int err;
};

/* One node's command and how to run it: the one-shot CLI's arguments, or a --serve request. */
struct reap_args {
  char **argv;            /* the command and its arguments, NULL-terminated */
  const char *cgroup_dir; /* NULL: none */
  long grace_ms;
  /* The signal mask the command starts with (the one we were started with). */
  const sigset_t *command_mask;
  /* The signals reap() waits for, already blocked by the caller. */
  const sigset_t *handled;
  /* One-shot: where the result file goes (written atomically); NULL with a result fd. */
  const char *result_path;
};

static void write_result(const struct reap_args *a, int result_fd, const char *json, size_t len);

/*
 * Runs one command under this process as its subreaper until the whole tree is reaped, then
 * writes the result JSON (to result_fd, or atomically to a->result_path). Returns the exit status
 * the one-shot CLI exits with.
 */
static int reap(const struct reap_args *a, int result_fd) {
  const sigset_t handled = *a->handled;
  const long grace_ms = a->grace_ms;
  const char *cgroup_dir = a->cgroup_dir;
  char **command = a->argv;
  /*
   * Parent-death signal, then check that the parent did not die before it was armed: if it did,
   * we were already re-parented and the signal will never come.
   */
  pid_t original_parent = getppid();
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) perror("wp-reaper: PR_SET_CHILD_SUBREAPER");
  if (prctl(PR_SET_PDEATHSIG, PARENT_DEATH_SIGNAL) != 0) perror("wp-reaper: PR_SET_PDEATHSIG");
  if (getppid() != original_parent) return 128 + PARENT_DEATH_SIGNAL;

  /*
   * Every read from here on is ours, not the tree's, including the baseline read itself: the
   * kernel counts a read after producing its content.
   */
  own_rchar = 0;
  own_syscr = 0;
  struct io_counters io_before;
  read_self_io(&io_before);

  int exec_pipe[2];
  if (pipe2(exec_pipe, O_CLOEXEC) != 0) {
    perror("wp-reaper: pipe2");
    return 125;
  }

  /*
   * Our children's rusage so far: a batch script that execs us keeps what its own commands used
   * (rusage survives exec), and that is not the tree's. Zero when the runner starts us directly.
   */
  struct rusage base_ru;
  getrusage(RUSAGE_CHILDREN, &base_ru);
  int64_t start_ns = now_ns();
  if (sampler.fd >= 0) sampler_start(start_ns);
  pid_t main_pid = fork();
  if (main_pid < 0) {
    perror("wp-reaper: fork");
    return 125;
  }
  if (main_pid == 0) {
    /* Stays in the reaper's process group (see the top): the runner's last handle on the tree. */
    /* If the reaper is SIGKILLed, at least the main process goes too. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    /* An ignored signal stays ignored across exec: give the command the defaults it expects. */
    signal(SIGPIPE, SIG_DFL);
    sigprocmask(SIG_SETMASK, a->command_mask, NULL);
    close(exec_pipe[0]);
    if (cgroup_dir) {
      /* Before exec, so nothing the command forks can start outside. A failure is reported and
       * the command still runs: the runner then does not trust the cgroup's figures. */
      struct child_report rep = {1, join_cgroup(cgroup_dir)};
      if (rep.err != 0) (void)!write(exec_pipe[1], &rep, sizeof(rep));
    }
    execvp(command[0], command);
    struct child_report rep = {2, errno};
    (void)!write(exec_pipe[1], &rep, sizeof(rep));
    _exit(127);
  }
  close(exec_pipe[1]);
  int exec_errno = 0, cgroup_errno = 0;
  for (;;) {
    struct child_report rep;
    ssize_t r = counted_read(exec_pipe[0], &rep, sizeof(rep));
    if (r < 0 && errno == EINTR) continue;
    if (r != (ssize_t)sizeof(rep)) break; /* EOF: exec succeeded */
    if (rep.what == 1) cgroup_errno = rep.err;
    if (rep.what == 2) exec_errno = rep.err;
  }
  close(exec_pipe[0]);

  int main_done = 0, main_status = 0;
  int64_t end_ns = 0;
  uint64_t reaped = 0, strays_killed = 0;
  int cancelled = 0, cancel_signal = 0, strays_handled = 0;
  int killing = 0; /* SIGKILL phase: rescan and kill until nothing is left */
  int parent_died = 0;
  int64_t kill_deadline = 0;

  for (;;) {
    /* Reap everything that has exited. */
    int no_children = 0;
    for (;;) {
      int status;
      pid_t p = wait4(-1, &status, WNOHANG, NULL); /* rusage: summed by the kernel, read once at the end */
      if (p > 0) {
        reaped++;
        if (p == main_pid) {
          end_ns = now_ns();
          main_status = status;
          main_done = 1;
        }
        continue;
      }
      if (p < 0 && errno == EINTR) continue;
      if (p < 0 && errno == ECHILD) no_children = 1;
      break;
    }
    if (no_children) break;

    if (main_done && !strays_handled && !cancelled) {
      /* The node is over: anything still running is a stray. (After a cancel, the tree keeps
       * the rest of its grace period even when the main process is quick to exit.) */
      strays_handled = 1;
      strays_killed = signal_descendants(SIGKILL);
      killing = 1;
    } else {
      if (cancelled && !killing && now_ns() >= kill_deadline) killing = 1;
      if (killing) signal_descendants(SIGKILL);
    }

    if (!main_done) sampler_tick(now_ns());
    int64_t wait_ns = -1; /* -1: until a signal */
    if (killing) {
      wait_ns = KILL_RESCAN_NS;
    } else if (cancelled) {
      wait_ns = kill_deadline - now_ns();
      if (wait_ns < 0) wait_ns = 0;
    }
    if (sampler.fd >= 0 && !main_done) {
      int64_t to_sample = sampler.next_ns - now_ns();
      if (to_sample < 0) to_sample = 0;
      if (wait_ns < 0 || to_sample < wait_ns) wait_ns = to_sample;
    }
    struct timespec timeout, *tp = NULL;
    if (wait_ns >= 0) {
      timeout.tv_sec = wait_ns / 1000000000LL;
      timeout.tv_nsec = wait_ns % 1000000000LL;
      tp = &timeout;
    }
    siginfo_t info;
    int sig = tp ? sigtimedwait(&handled, &info, tp) : sigwaitinfo(&handled, &info);
    if (sig <= 0 || sig == SIGCHLD) continue;
    if (sig == PARENT_DEATH_SIGNAL) {
      /*
       * The kernel sends the parent-death signal each time we are re-parented: when the thread
       * that forked us exits (another thread of the same process may adopt us), and again for
       * every thread of a dying multi-threaded parent. Only a new parent process means it died.
       */
      if (getppid() == original_parent || parent_died) continue;
      parent_died = 1;
    }
    if (main_done) {
      killing = 1; /* only strays are left: no reason to wait */
    } else if (!cancelled) {
      cancelled = 1;
      cancel_signal = sig;
      kill_deadline = now_ns() + (int64_t)grace_ms * 1000000LL;
      signal_descendants(SIGTERM);
    } else {
      killing = 1; /* asked twice: no more grace */
    }
  }

  /* The series ends with the tree; flushed before the final read, so its writes are subtracted. */
  sample_flush();
  struct rusage ru;
  getrusage(RUSAGE_CHILDREN, &ru);
  ru.ru_nvcsw -= base_ru.ru_nvcsw;
  ru.ru_nivcsw -= base_ru.ru_nivcsw;
  int64_t cpu_user_us = tv_us(ru.ru_utime) - tv_us(base_ru.ru_utime);
  int64_t cpu_sys_us = tv_us(ru.ru_stime) - tv_us(base_ru.ru_stime);
  /* Our reads up to here; the final read below is counted only after its content is made. */
  uint64_t own_rchar_total = own_rchar, own_syscr_total = own_syscr;
  struct io_counters io_after;
  read_self_io(&io_after);
  int64_t reaper_end_ns = now_ns();
  if (!main_done) end_ns = reaper_end_ns; /* cannot happen: main is our child */

  int exit_code = -1, term_signal = 0;
  if (WIFEXITED(main_status)) exit_code = WEXITSTATUS(main_status);
  if (WIFSIGNALED(main_status)) term_signal = WTERMSIG(main_status);

  char json[2048];
#define IO_CONSISTENT(f, own) (io_after.f >= io_before.f + (own))
  /* A counter that went backwards cannot be turned into a figure: no I/O at all (null), never
   * a clamped 0. */
  int ok_io = io_before.ok && io_after.ok && IO_CONSISTENT(rchar, own_rchar_total) &&
              IO_CONSISTENT(wchar, own_wchar) && IO_CONSISTENT(syscr, own_syscr_total) &&
              IO_CONSISTENT(syscw, own_syscw) && IO_CONSISTENT(read_bytes, 0) &&
              IO_CONSISTENT(write_bytes, own_write_bytes) &&
              IO_CONSISTENT(cancelled_write_bytes, own_cancelled_write_bytes);
#define IO_DELTA(f, own) (io_after.f - io_before.f - (own))
  int len = snprintf(
      json, sizeof(json),
      "{\"version\":%d,\"pid\":%d,\"exitCode\":%d,\"signal\":%d,\"execErrno\":%d,"
      "\"startNs\":%lld,\"endNs\":%lld,\"reaperEndNs\":%lld,"
      "\"cpuUserUs\":%lld,\"cpuSysUs\":%lld,\"maxRssKb\":%ld,\"voluntaryCtxSwitches\":%ld,"
      "\"involuntaryCtxSwitches\":%ld,\"io\":%s",
      RESULT_VERSION, (int)main_pid, exit_code, term_signal, exec_errno, (long long)start_ns, (long long)end_ns,
      (long long)reaper_end_ns,
      (long long)cpu_user_us, (long long)cpu_sys_us, ru.ru_maxrss,
      ru.ru_nvcsw, ru.ru_nivcsw, ok_io ? "{" : "null");
  if (ok_io && len > 0 && (size_t)len < sizeof(json)) {
    len += snprintf(json + len, sizeof(json) - (size_t)len,
                    "\"rchar\":%llu,\"wchar\":%llu,\"syscr\":%llu,\"syscw\":%llu,"
                    "\"readBytes\":%llu,\"writeBytes\":%llu,\"cancelledWriteBytes\":%llu}",
                    (unsigned long long)IO_DELTA(rchar, own_rchar_total),
                    (unsigned long long)IO_DELTA(wchar, own_wchar),
                    (unsigned long long)IO_DELTA(syscr, own_syscr_total),
                    (unsigned long long)IO_DELTA(syscw, own_syscw),
                    (unsigned long long)IO_DELTA(read_bytes, 0),
                    (unsigned long long)IO_DELTA(write_bytes, own_write_bytes),
                    (unsigned long long)IO_DELTA(cancelled_write_bytes, own_cancelled_write_bytes));
  }
  if (len > 0 && (size_t)len < sizeof(json)) {
    len += snprintf(json + len, sizeof(json) - (size_t)len,
                    ",\"processesReaped\":%llu,\"straysKilled\":%llu,\"cancelled\":%s,"
                    "\"cancelSignal\":%d,\"cgroupErrno\":%d}\n",
                    (unsigned long long)reaped, (unsigned long long)strays_killed,
                    cancelled ? "true" : "false", cancel_signal, cgroup_errno);
  }

  if (len > 0 && (size_t)len < sizeof(json)) write_result(a, result_fd, json, (size_t)len);

  if (exec_errno != 0) return 127;
  if (term_signal) return 128 + term_signal;
  return exit_code < 0 ? 125 : exit_code;
}

/* One-shot: a temporary file renamed into place, so the runner never reads half a result. */
static void write_result(const struct reap_args *a, int result_fd, const char *json, size_t len) {
  if (result_fd >= 0) {
    if (write_all(result_fd, json, len) != 0) perror("wp-reaper: writing the result");
    return;
  }
  char tmp[4096];
  snprintf(tmp, sizeof(tmp), "%s.tmp.%d", a->result_path, (int)getpid());
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 || write_all(fd, json, len) != 0 || close(fd) != 0 || rename(tmp, a->result_path) != 0) {
    perror("wp-reaper: writing the result file");
    unlink(tmp);
  }
}

#include "serve.h"

int main(int argc, char **argv) {
  /* Block the signals we handle before anything else, so none is lost or acted on too early. */
  sigset_t handled, original;
  sigemptyset(&handled);
  sigaddset(&handled, SIGCHLD);
  sigaddset(&handled, SIGTERM);
  sigaddset(&handled, SIGINT);
  sigaddset(&handled, SIGQUIT);
  sigaddset(&handled, PARENT_DEATH_SIGNAL);
  sigprocmask(SIG_BLOCK, &handled, &original);
  /* Writing to stderr after the runner died must not kill us before the tree is killed. */
  signal(SIGPIPE, SIG_IGN);

  if (argc == 2 && strcmp(argv[1], "--serve") == 0) return serve(&handled, &original);
  if (argc == 2 && strcmp(argv[1], "--version") == 0) {
    printf("wp-reaper %d %s %s\n", RESULT_VERSION, REAPER_ARCH, REAPER_LIBC);
    return fflush(stdout) == 0 ? 0 : 125;
  }

  const char *result_path = NULL;
  const char *cgroup_dir = NULL;
  const char *samples_path = NULL;
  long grace_ms = 500, interval_ms = 0;
  int cmd_index = -1;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--") == 0) {
      cmd_index = i + 1;
      break;
    } else if (strcmp(argv[i], "--result") == 0 && i + 1 < argc) {
      result_path = argv[++i];
    } else if (strcmp(argv[i], "--cgroup") == 0 && i + 1 < argc) {
      cgroup_dir = argv[++i];
    } else if (strcmp(argv[i], "--samples") == 0 && i + 1 < argc) {
      samples_path = argv[++i];
    } else if (strcmp(argv[i], "--interval-ms") == 0 && i + 1 < argc) {
      interval_ms = strtol(argv[++i], NULL, 10);
    } else if (strcmp(argv[i], "--grace-ms") == 0 && i + 1 < argc) {
      grace_ms = strtol(argv[++i], NULL, 10);
      if (grace_ms < 0) grace_ms = 0;
    } else {
      fputs(usage, stderr);
      return 125;
    }
  }
  if (!result_path || cmd_index < 0 || cmd_index >= argc || (samples_path && interval_ms <= 0)) {
    fputs(usage, stderr);
    return 125;
  }
  /* Before the fork: the file's absence must not be the command's problem, only the series'. */
  if (samples_path && sampler_open(samples_path, interval_ms) != 0)
    perror("wp-reaper: opening the samples file (no series for this node)");

  struct reap_args args = {
      .argv = &argv[cmd_index],
      .cgroup_dir = cgroup_dir,
      .grace_ms = grace_ms,
      .command_mask = &original,
      .handled = &handled,
      .result_path = result_path,
  };
  return reap(&args, -1);
}
