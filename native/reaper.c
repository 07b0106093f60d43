/*
 * wp-reaper: runs one workflow node's command, measures its whole process tree exactly and kills
 * the tree whole.
 *
 *   wp-reaper --result FILE [--grace-ms N] [--cgroup DIR] -- command [args...]
 *   wp-reaper --version
 *
 * --version prints one line, "wp-reaper RESULT_VERSION ARCH LIBC", and exits 0. The runner's
 * self-test (src/measure/reaperCheck.ts) runs the reaper on itself with --version before a run's
 * first node: a binary for another architecture, a missing libc or a broken build shows there,
 * and the run falls back to sampling instead of failing every node.
 *
 * The command runs in the reaper's process group (the runner starts the reaper as a group
 * leader), so the runner can still kill what is left with kill(-reaper pid) if the reaper itself
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

static void read_self_io(struct io_counters *io) {
  char buf[1024];
  memset(io, 0, sizeof(*io));
  if (read_small_file("/proc/self/io", buf, sizeof(buf)) <= 0) return;
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

static const char *usage =
    "usage: wp-reaper --result FILE [--grace-ms N] [--cgroup DIR] -- command [args...]\n"
    "       wp-reaper --version\n";

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

  if (argc == 2 && strcmp(argv[1], "--version") == 0) {
    printf("wp-reaper %d %s %s\n", RESULT_VERSION, REAPER_ARCH, REAPER_LIBC);
    return fflush(stdout) == 0 ? 0 : 125;
  }

  const char *result_path = NULL;
  const char *cgroup_dir = NULL;
  long grace_ms = 500;
  int cmd_index = -1;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--") == 0) {
      cmd_index = i + 1;
      break;
    } else if (strcmp(argv[i], "--result") == 0 && i + 1 < argc) {
      result_path = argv[++i];
    } else if (strcmp(argv[i], "--cgroup") == 0 && i + 1 < argc) {
      cgroup_dir = argv[++i];
    } else if (strcmp(argv[i], "--grace-ms") == 0 && i + 1 < argc) {
      grace_ms = strtol(argv[++i], NULL, 10);
      if (grace_ms < 0) grace_ms = 0;
    } else {
      fputs(usage, stderr);
      return 125;
    }
  }
  if (!result_path || cmd_index < 0 || cmd_index >= argc) {
    fputs(usage, stderr);
    return 125;
  }

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

  int64_t start_ns = now_ns();
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
    sigprocmask(SIG_SETMASK, &original, NULL);
    close(exec_pipe[0]);
    if (cgroup_dir) {
      /* Before exec, so nothing the command forks can start outside. A failure is reported and
       * the command still runs: the runner then does not trust the cgroup's figures. */
      struct child_report rep = {1, join_cgroup(cgroup_dir)};
      if (rep.err != 0) (void)!write(exec_pipe[1], &rep, sizeof(rep));
    }
    execvp(argv[cmd_index], &argv[cmd_index]);
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

    struct timespec timeout, *tp = NULL;
    if (killing) {
      timeout.tv_sec = 0;
      timeout.tv_nsec = KILL_RESCAN_NS;
      tp = &timeout;
    } else if (cancelled) {
      int64_t left = kill_deadline - now_ns();
      if (left < 0) left = 0;
      timeout.tv_sec = left / 1000000000LL;
      timeout.tv_nsec = left % 1000000000LL;
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

  struct rusage ru;
  getrusage(RUSAGE_CHILDREN, &ru);
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
              IO_CONSISTENT(wchar, 0) && IO_CONSISTENT(syscr, own_syscr_total) &&
              IO_CONSISTENT(syscw, 0) && IO_CONSISTENT(read_bytes, 0) &&
              IO_CONSISTENT(write_bytes, 0) && IO_CONSISTENT(cancelled_write_bytes, 0);
#define IO_DELTA(f, own) (io_after.f - io_before.f - (own))
  int len = snprintf(
      json, sizeof(json),
      "{\"version\":%d,\"pid\":%d,\"exitCode\":%d,\"signal\":%d,\"execErrno\":%d,"
      "\"startNs\":%lld,\"endNs\":%lld,\"reaperEndNs\":%lld,"
      "\"cpuUserUs\":%lld,\"cpuSysUs\":%lld,\"maxRssKb\":%ld,\"voluntaryCtxSwitches\":%ld,"
      "\"involuntaryCtxSwitches\":%ld,\"io\":%s",
      RESULT_VERSION, (int)main_pid, exit_code, term_signal, exec_errno, (long long)start_ns, (long long)end_ns,
      (long long)reaper_end_ns,
      (long long)ru.ru_utime.tv_sec * 1000000LL + (long long)ru.ru_utime.tv_usec,
      (long long)ru.ru_stime.tv_sec * 1000000LL + (long long)ru.ru_stime.tv_usec, ru.ru_maxrss,
      ru.ru_nvcsw, ru.ru_nivcsw, ok_io ? "{" : "null");
  if (ok_io && len > 0 && (size_t)len < sizeof(json)) {
    len += snprintf(json + len, sizeof(json) - (size_t)len,
                    "\"rchar\":%llu,\"wchar\":%llu,\"syscr\":%llu,\"syscw\":%llu,"
                    "\"readBytes\":%llu,\"writeBytes\":%llu,\"cancelledWriteBytes\":%llu}",
                    (unsigned long long)IO_DELTA(rchar, own_rchar_total),
                    (unsigned long long)IO_DELTA(wchar, 0),
                    (unsigned long long)IO_DELTA(syscr, own_syscr_total),
                    (unsigned long long)IO_DELTA(syscw, 0),
                    (unsigned long long)IO_DELTA(read_bytes, 0),
                    (unsigned long long)IO_DELTA(write_bytes, 0),
                    (unsigned long long)IO_DELTA(cancelled_write_bytes, 0));
  }
  if (len > 0 && (size_t)len < sizeof(json)) {
    len += snprintf(json + len, sizeof(json) - (size_t)len,
                    ",\"processesReaped\":%llu,\"straysKilled\":%llu,\"cancelled\":%s,"
                    "\"cancelSignal\":%d,\"cgroupErrno\":%d}\n",
                    (unsigned long long)reaped, (unsigned long long)strays_killed,
                    cancelled ? "true" : "false", cancel_signal, cgroup_errno);
  }

  if (len > 0 && (size_t)len < sizeof(json)) {
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp.%d", result_path, (int)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || write_all(fd, json, (size_t)len) != 0 || close(fd) != 0 ||
        rename(tmp, result_path) != 0) {
      perror("wp-reaper: writing the result file");
      unlink(tmp);
    }
  }

  if (exec_errno != 0) return 127;
  if (term_signal) return 128 + term_signal;
  return exit_code < 0 ? 125 : exit_code;
}
