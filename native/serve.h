/*
 * wp-reaper --serve: the spawn helper. The runner starts it once per run and asks it to start
 * each node; it forks a reaper per node WITHOUT exec (reap() runs in the forked child), so a node
 * costs one small fork instead of Node forking its whole, large process and a reaper exec.
 * Included by reaper.c only (it uses the reaper's static functions); one translation unit keeps
 * the one-file build of the platform packages.
 *
 * Frames both ways: u32 little-endian length of what follows, u8 type, u32 little-endian key
 * (the runner's number for the node), then the payload.
 *   In (stdin):  'S' start: u32 grace ms, u32 argc, u32 envc, then NUL-terminated strings:
 *                cwd, cgroup dir ("" for none), argv..., env... ("NAME=value")
 *                'C' cancel: SIGTERM to the node's reaper (it TERMs the tree, then KILLs it)
 *                'D' detach: stop reading the node's output (held open by an escaped process)
 *   Out (stdout): 'P' started, i32 reaper pid (its own process group), sent before anything else
 *                'F' could not start, the message; 'O' / 'E' stdout / stderr bytes;
 *                'o' / 'e' end of stdout / stderr; 'R' the reaper's result JSON;
 *                'X' the reaper exited: i32 exit code (-1 when signalled), i32 signal (0 if none)
 * stdin's end (the runner is gone) ends the helper; its death (even SIGKILL) reaches every reaper
 * as the parent-death signal, so each kills its tree as when the runner dies in one-shot mode.
 */
#include <poll.h>
#include <sys/signalfd.h>

#define SERVE_MAX_NODES 4096
#define SERVE_READ 65536

struct served {
  uint32_t key;
  pid_t pid;     /* 0: free slot */
  int out_fd;    /* the command's stdout, -1 once at its end */
  int err_fd;    /* its stderr */
  int result_fd; /* the reaper's result pipe, read once it exited */
  int exited;
};

static struct served served[SERVE_MAX_NODES];
static size_t served_len;

static void put_u32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get_u32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* One frame to the runner; exits when it is gone (nobody is left to report to). */
static void send_frame(char type, uint32_t key, const void *payload, size_t len) {
  unsigned char head[9];
  put_u32(head, (uint32_t)(len + 5));
  head[4] = (unsigned char)type;
  put_u32(head + 5, key);
  if (write_all(1, (const char *)head, sizeof(head)) != 0 ||
      (len > 0 && write_all(1, payload, len) != 0))
    _exit(0);
}

static void send_failed(uint32_t key, const char *what) {
  char msg[256];
  int n = snprintf(msg, sizeof(msg), "%s: %s", what, strerror(errno));
  send_frame('F', key, msg, n > 0 ? (size_t)n : 0);
}

static struct served *served_by_key(uint32_t key) {
  for (size_t i = 0; i < served_len; i++)
    if (served[i].pid != 0 && served[i].key == key) return &served[i];
  return NULL;
}

static void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

/* A slot is free again once its reaper was reaped and both outputs ended (or were detached). */
static void release_if_done(struct served *s) {
  if (s->exited && s->out_fd < 0 && s->err_fd < 0) s->pid = 0;
}

/* In the forked reaper: the helper's descriptors are not the node's to hold. */
static void close_helper_fds(int keep, int signal_fd) {
  close(signal_fd);
  for (size_t i = 0; i < served_len; i++) {
    if (served[i].pid == 0) continue;
    if (served[i].out_fd >= 0) close(served[i].out_fd);
    if (served[i].err_fd >= 0) close(served[i].err_fd);
    if (served[i].result_fd >= 0 && served[i].result_fd != keep) close(served[i].result_fd);
  }
}

/* Splits a start request's strings; NULL when malformed. */
static char **split_strings(char **p, char *end, uint32_t count) {
  char **list = calloc((size_t)count + 1, sizeof(char *));
  if (!list) return NULL;
  for (uint32_t i = 0; i < count; i++) {
    char *nul = memchr(*p, '\0', (size_t)(end - *p));
    if (!nul) {
      free(list);
      return NULL;
    }
    list[i] = *p;
    *p = nul + 1;
  }
  return list;
}

extern char **environ;

static void start_node(uint32_t key, unsigned char *payload, size_t len, int signal_fd,
                       const sigset_t *handled, const sigset_t *command_mask) {
  if (len < 12) {
    errno = EINVAL;
    send_failed(key, "wp-reaper --serve: bad start request");
    return;
  }
  uint32_t grace = get_u32(payload), argc = get_u32(payload + 4), envc = get_u32(payload + 8);
  char *p = (char *)payload + 12, *end = (char *)payload + len;
  char **head = split_strings(&p, end, 2);
  char **argv = head && argc > 0 ? split_strings(&p, end, argc) : NULL;
  char **envp = argv ? split_strings(&p, end, envc) : NULL;
  struct served *slot = NULL;
  for (size_t i = 0; i < served_len && !slot; i++)
    if (served[i].pid == 0) slot = &served[i];
  if (!slot && served_len < SERVE_MAX_NODES) slot = &served[served_len++];
  int out[2] = {-1, -1}, err[2] = {-1, -1}, res[2] = {-1, -1};
  if (!envp || !slot) {
    errno = envp ? EAGAIN : EINVAL;
    send_failed(key, envp ? "wp-reaper --serve: too many nodes" : "wp-reaper --serve: bad start request");
  } else if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0 ||
             pipe2(res, O_CLOEXEC | O_NONBLOCK) != 0) {
    send_failed(key, "wp-reaper --serve: pipe2");
  } else {
    pid_t pid = fork();
    if (pid == 0) {
      /* The reaper: its own process group (the runner's last handle on the tree), the node's
       * output as its stdout/stderr, nothing of the helper's. */
      setpgid(0, 0);
      int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
      close_helper_fds(res[1], signal_fd);
      if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out[1], 1) < 0 || dup2(err[1], 2) < 0) _exit(125);
      close(out[0]), close(out[1]), close(err[0]), close(err[1]), close(res[0]);
      const char *cwd = head[0], *cgroup = head[1];
      if (chdir(cwd) != 0) {
        perror("wp-reaper: chdir");
        _exit(125);
      }
      environ = envp;
      struct reap_args a = {
          .argv = argv,
          .cgroup_dir = cgroup[0] ? cgroup : NULL,
          .grace_ms = (long)grace,
          .command_mask = command_mask,
          .handled = handled,
          .result_path = NULL,
      };
      _exit(reap(&a, res[1]));
    }
    if (pid < 0) {
      send_failed(key, "wp-reaper --serve: fork");
    } else {
      setpgid(pid, pid); /* also here: the runner may signal the group before the child runs */
      *slot = (struct served){key, pid, out[0], err[0], res[0], 0};
      out[0] = err[0] = res[0] = -1;
      int32_t spid = (int32_t)pid;
      unsigned char b[4];
      put_u32(b, (uint32_t)spid);
      send_frame('P', key, b, 4);
    }
  }
  for (int i = 0; i < 2; i++) {
    close_fd(&out[i]);
    close_fd(&err[i]);
    close_fd(&res[i]);
  }
  free(head);
  free(argv);
  free(envp);
}

static void reap_reapers(void) {
  for (;;) {
    int status;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid <= 0) return;
    struct served *s = NULL;
    for (size_t i = 0; i < served_len && !s; i++)
      if (served[i].pid == pid && !served[i].exited) s = &served[i];
    if (!s) continue;
    /* Written before the reaper exited, so it is all in the pipe now. */
    char json[4096];
    size_t n = 0;
    for (;;) {
      ssize_t r = read(s->result_fd, json + n, sizeof(json) - n);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) break;
      n += (size_t)r;
      if (n == sizeof(json)) break;
    }
    close_fd(&s->result_fd);
    if (n > 0) send_frame('R', s->key, json, n);
    unsigned char b[8];
    put_u32(b, (uint32_t)(int32_t)(WIFEXITED(status) ? WEXITSTATUS(status) : -1));
    put_u32(b + 4, (uint32_t)(WIFSIGNALED(status) ? WTERMSIG(status) : 0));
    s->exited = 1;
    send_frame('X', s->key, b, 8);
    release_if_done(s);
  }
}

/* Forwards what one output pipe holds; at its end, says so and closes it. */
static void forward_output(struct served *s, int *fd, char data_type, char end_type) {
  static char buf[SERVE_READ];
  ssize_t r = read(*fd, buf, sizeof(buf));
  if (r < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (r > 0) {
    send_frame(data_type, s->key, buf, (size_t)r);
    return;
  }
  close_fd(fd);
  send_frame(end_type, s->key, NULL, 0);
  release_if_done(s);
}

static void handle_request(unsigned char *frame, size_t len, int signal_fd, const sigset_t *handled,
                           const sigset_t *command_mask) {
  char type = (char)frame[0];
  uint32_t key = get_u32(frame + 1);
  struct served *s = served_by_key(key);
  if (type == 'S') {
    start_node(key, frame + 5, len - 5, signal_fd, handled, command_mask);
  } else if (type == 'C' && s && !s->exited) {
    kill(s->pid, SIGTERM);
  } else if (type == 'D' && s) {
    close_fd(&s->out_fd);
    close_fd(&s->err_fd);
    release_if_done(s);
  }
}

static int serve(const sigset_t *handled, const sigset_t *command_mask) {
  /* The runner's death ends us; ours reaches every reaper as its parent-death signal. */
  pid_t runner = getppid();
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != runner) return 0;
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  int signal_fd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
  if (signal_fd < 0) {
    perror("wp-reaper --serve: signalfd");
    return 125;
  }
  size_t cap = 1 << 16, have = 0;
  unsigned char *in = malloc(cap);
  static struct pollfd fds[2 + 2 * SERVE_MAX_NODES];
  static struct served *owner[2 + 2 * SERVE_MAX_NODES];
  if (!in) return 125;
  for (;;) {
    nfds_t n = 0;
    fds[n++] = (struct pollfd){0, POLLIN, 0};
    fds[n++] = (struct pollfd){signal_fd, POLLIN, 0};
    for (size_t i = 0; i < served_len; i++) {
      if (served[i].pid == 0) continue;
      if (served[i].out_fd >= 0) owner[n] = &served[i], fds[n++] = (struct pollfd){served[i].out_fd, POLLIN, 0};
      if (served[i].err_fd >= 0) owner[n] = &served[i], fds[n++] = (struct pollfd){served[i].err_fd, POLLIN, 0};
    }
    if (poll(fds, n, -1) < 0) {
      if (errno == EINTR) continue;
      perror("wp-reaper --serve: poll");
      return 125;
    }
    /* Output before exits: a node's last bytes reach the runner before its exit frame. */
    for (nfds_t i = 2; i < n; i++) {
      if (!fds[i].revents) continue;
      struct served *s = owner[i];
      if (fds[i].fd == s->out_fd) forward_output(s, &s->out_fd, 'O', 'o');
      else if (fds[i].fd == s->err_fd) forward_output(s, &s->err_fd, 'E', 'e');
    }
    if (fds[1].revents) {
      struct signalfd_siginfo si;
      while (read(signal_fd, &si, sizeof(si)) > 0) {
      }
      reap_reapers();
    }
    if (fds[0].revents) {
      if (have == cap) {
        unsigned char *bigger = realloc(in, cap * 2);
        if (!bigger) return 125;
        in = bigger;
        cap *= 2;
      }
      ssize_t r = read(0, in + have, cap - have);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return 0; /* the runner closed our stdin: its run is over */
      have += (size_t)r;
      size_t at = 0;
      while (have - at >= 4) {
        size_t len = get_u32(in + at);
        if (len < 5) {
          fputs("wp-reaper --serve: bad frame\n", stderr);
          return 125;
        }
        if (have - at - 4 < len) break;
        handle_request(in + at + 4, len, signal_fd, handled, command_mask);
        at += 4 + len;
      }
      memmove(in, in + at, have - at);
      have -= at;
    }
  }
}
