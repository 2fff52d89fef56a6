/*
 * cn-agent: the process agent inside a CrowNest sandbox.
 *
 * The node agent starts it once per sandbox with `runsc exec` and keeps its stdin and stdout. Every
 * command then starts here with one fork and exec inside the sandbox (far cheaper under the ptrace
 * platform) instead of a `runsc exec` of its own (a runsc process, its state files, an RPC to the
 * sentry; docs/benchmarks.md). E2B's envd is the same idea.
 *
 * Protocol: frames both ways, a 9-byte header (type, command id as u32 big-endian, payload length
 * as u32 big-endian), then the payload.
 *   node -> agent  'R' run: cwd NUL, "K=V" NUL ..., NUL, argv NUL ...
 *                  'I' stdin bytes   'C' close stdin   'K' kill the command's process group
 *                  'A' the node took this many of the command's output bytes (u32 big-endian)
 *                  'T' start on a new terminal: cols, rows (u16 big-endian each), then a run's payload
 *                  'W' resize the terminal: cols, rows (u16 big-endian each)
 *   agent -> node  'P' started: the pid as text   '1' stdout bytes (a terminal's output)   '2' stderr bytes
 *                  'X' exited: the exit code as text (128 + signal when killed by one)
 * A terminal's command ('T') gets a pseudo-terminal's slave as stdin, stdout and stderr, made its
 * controlling terminal (the same start as any command: spawner.c, command.c); 'I' writes to the
 * master, whose output comes as '1'. 'K' kills a terminal's whole session (its jobs have groups of
 * their own), and so do the node's end closing and the shell's exit.
 * A command leads its own session and process group. 'K' kills the group until no member is left:
 * one kill does not stop a fork bomb, and the agent needs no new process to do it, so it works even
 * when the bomb holds every process slot. Flow control is per command: the agent stops reading a
 * command's pipes while WINDOW bytes of its output are not yet taken ('A'), so a command whose
 * reader is slow waits on its own pipe and never holds up the sandbox's other commands. When the
 * node's end closes (the node agent stopped or
 * died), every running command's group is killed and the agent exits: no command outlives its
 * reader. Output that a command's background processes write after it exited is read and dropped,
 * so they do not die of SIGPIPE.
 *
 * Commands are forked by the spawner (spawner.c) under the sandbox's PID 1, not here: processes that
 * descend from this one (a `runsc exec`) do not survive a pause with runsc 0.0~20240729. The agent
 * forks them itself only in a sandbox whose PID 1 runs no spawner (started before there was one).
 *
 * Built static (no libc needed in the template) by the node-agent module's build.
 */
#define _GNU_SOURCE
#include "cn-agent.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_COMMANDS 512
#define MAX_DRAINS 1024
#define CHUNK (1u << 20)
#define PIPE_BYTES (1 << 20)
#define WINDOW (4u << 20)

struct command {
    uint32_t id;
    pid_t pid;
    int out, err, in;       /* -1 once closed */
    char *pending;          /* stdin bytes not yet taken by the command */
    size_t pending_len;
    int close_in;           /* close stdin once pending is written */
    uint32_t unacked;       /* output sent that the node has not taken yet */
    int exited, status;     /* status: the exit code */
    int local;              /* forked here (no spawner), so reaped here */
    int terminal;           /* out is a pseudo-terminal's master (in a duplicate of it) */
};

static struct command commands[MAX_COMMANDS];
static int command_count;
static int drains[MAX_DRAINS];  /* pipes of exited commands, read until their writers are gone */
static int drain_count;
static int children_ended; /* readable when a child ended */
static char chunk[CHUNK];
static int spawner = -1;
/* the spawner's messages not yet read whole, and its answer to the request in flight */
static unsigned char from_spawner[MESSAGE_BYTES];
static size_t from_spawner_len;
static char answer;
static uint32_t answer_id;
static int32_t answer_value;

static void die(const char *what) {
    fprintf(stderr, "cn-agent: %s: %s\n", what, strerror(errno));
    exit(70);
}

static void write_all(int fd, const void *data, size_t len) {
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            exit(0); /* the node's end is gone */
        }
        p += n;
        len -= (size_t) n;
    }
}

/* Header and payload in one writev: under ptrace every system call is a round trip to the sentry. */
static void send_frame(char type, uint32_t id, const void *payload, uint32_t len) {
    unsigned char header[9] = {(unsigned char) type,
            id >> 24, id >> 16, id >> 8, id,
            len >> 24, len >> 16, len >> 8, len};
    struct iovec parts[2] = {{header, sizeof header}, {(void *) payload, len}};
    ssize_t n;
    do {
        n = writev(1, parts, len > 0 ? 2 : 1);
    } while (n < 0 && errno == EINTR);
    if (n < 0) exit(0); /* the node's end is gone */
    size_t sent = (size_t) n;
    if (sent < sizeof header) {
        write_all(1, header + sent, sizeof header - sent);
        sent = sizeof header;
    }
    write_all(1, (const char *) payload + (sent - sizeof header), len - (sent - sizeof header));
}

static void send_text(char type, uint32_t id, const char *text) {
    send_frame(type, id, text, (uint32_t) strlen(text));
}

static struct command *find(uint32_t id) {
    for (int i = 0; i < command_count; i++) {
        if (commands[i].id == id) return &commands[i];
    }
    return NULL;
}

static void close_fd(int *fd) {
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

static void set_nonblocking(int fd) {
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static void kill_command(struct command *c) {
    if (c->terminal) kill_session(c->pid); else kill_group(c->pid);
}

static void kill_all(void) {
    for (int i = 0; i < command_count; i++) kill_command(&commands[i]);
}

static void spawner_gone(void) {
    fprintf(stderr, "cn-agent: the spawner is gone (the sandbox is ending)\n");
    kill_all();
    exit(70);
}

/*
 * Reads what the spawner sent (waiting for some when block): exits are noted, an answer is kept.
 * Answers 0 when nothing was there.
 */
static int read_spawner(int block) {
    ssize_t n = recv(spawner, from_spawner + from_spawner_len, sizeof from_spawner - from_spawner_len,
            block ? 0 : MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return 0;
    if (n <= 0) spawner_gone();
    from_spawner_len += (size_t) n;
    if (from_spawner_len < MESSAGE_BYTES) return 1;
    from_spawner_len = 0;
    uint32_t id = get_u32(from_spawner + 1);
    int32_t value = (int32_t) get_u32(from_spawner + 5);
    if (from_spawner[0] == EXITED) {
        struct command *c = find(id);
        if (c != NULL) {
            c->exited = 1;
            c->status = value;
        }
    } else {
        answer = (char) from_spawner[0];
        answer_id = id;
        answer_value = value;
    }
    return 1;
}

/* The spawner forks the command: a pid, or -1 with errno set. */
static pid_t spawn(uint32_t id, const char *payload, uint32_t len, int in, int out, int err) {
    if (request_spawn(spawner, id, payload, len, in, out, err) < 0) spawner_gone();
    answer = 0;
    while (answer == 0 || answer_id != id) read_spawner(1);
    if (answer == SPAWN_FAILED) {
        errno = answer_value;
        return -1;
    }
    return answer_value;
}

static void refuse(uint32_t id, const char *why) {
    char message[200];
    snprintf(message, sizeof message, "cn-agent: cannot start the command%s%s\n", why[0] ? ": " : "", why);
    send_text('2', id, message);
    send_text('X', id, "126");
}

/* Starts the command with in, out and err as its ends (closed here): its pid, or -1 with errno set. */
static pid_t start(uint32_t id, char *payload, uint32_t len, struct command_line *line, int in, int out, int err) {
    pid_t pid = spawner >= 0 ? spawn(id, payload, len, in, out, err) : start_command(in, out, err, line);
    int failure = errno;
    close(in);
    if (out != in) close(out);
    if (err != in && err != out) close(err);
    errno = failure;
    return pid;
}

static void started(struct command c) {
    set_nonblocking(c.out);
    if (c.err >= 0) set_nonblocking(c.err);
    set_nonblocking(c.in);
    c.local = spawner < 0;
    commands[command_count++] = c;
    char text[24];
    snprintf(text, sizeof text, "%d", (int) c.pid);
    send_text('P', c.id, text);
}

/* Parses a run's payload and checks that the command may start; 0, or -1 once refused. */
static int admit(uint32_t id, char *payload, uint32_t len, struct command_line *line) {
    if (parse_command_line(payload, len, line) < 0) {
        send_text('2', id, "cn-agent: malformed run frame\n");
        send_text('X', id, "126");
        return -1;
    }
    if (command_count == MAX_COMMANDS || find(id) != NULL) {
        refuse(id, "");
        return -1;
    }
    return 0;
}

/* payload: cwd NUL, env entries NUL..., NUL, argv NUL... (every string NUL-terminated) */
static void run(uint32_t id, char *payload, uint32_t len) {
    struct command_line line;
    if (admit(id, payload, len, &line) < 0) return;
    int in[2], out[2], err[2];
    if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
        refuse(id, strerror(errno));
        return;
    }
    /* A pipe of 1 MiB instead of 64 KiB: a fast writer fills it in one go, and one read takes it all
     * (each system call costs a trip through the sentry). Best effort: the default still works. */
    fcntl(out[0], F_SETPIPE_SZ, PIPE_BYTES);
    fcntl(err[0], F_SETPIPE_SZ, PIPE_BYTES);
    pid_t pid = start(id, payload, len, &line, in[0], out[1], err[1]);
    if (pid < 0) {
        int failure = errno;
        close(in[1]);
        close(out[0]);
        close(err[0]);
        refuse(id, strerror(failure));
        return;
    }
    started((struct command) {.id = id, .pid = pid, .out = out[0], .err = err[0], .in = in[1]});
}

static struct winsize window_size(const char *payload) {
    const unsigned char *p = (const unsigned char *) payload;
    return (struct winsize) {.ws_col = (unsigned short) (p[0] << 8 | p[1]), .ws_row = (unsigned short) (p[2] << 8 | p[3])};
}

/* payload: cols, rows (u16 big-endian each), then a run's payload */
static void run_on_terminal(uint32_t id, char *payload, uint32_t len) {
    struct command_line line;
    if (len < 4) {
        send_text('X', id, "126");
        return;
    }
    struct winsize size = window_size(payload);
    if (admit(id, payload + 4, len - 4, &line) < 0) return;
    int master, slave;
    if (openpty(&master, &slave, NULL, NULL, &size) < 0) {
        refuse(id, strerror(errno));
        return;
    }
    int in = fcntl(master, F_DUPFD_CLOEXEC, 3);
    fcntl(master, F_SETFD, FD_CLOEXEC);
    pid_t pid = in < 0 ? -1 : start(id, payload + 4, len - 4, &line, slave, slave, slave);
    if (pid < 0) {
        int failure = errno;
        if (in < 0) close(slave);
        else close(in);
        close(master);
        refuse(id, strerror(failure));
        return;
    }
    started((struct command) {.id = id, .pid = pid, .out = master, .err = -1, .in = in, .terminal = 1});
}

/* TIOCSWINSZ, and SIGWINCH to the terminal's foreground group (and its shell's) to be sure they redraw. */
static void resize(struct command *c, const char *payload, uint32_t len) {
    if (!c->terminal || c->out < 0 || len != 4) return;
    struct winsize size = window_size(payload);
    if (ioctl(c->out, TIOCSWINSZ, &size) < 0) return;
    pid_t foreground = tcgetpgrp(c->out);
    if (foreground > 0) kill(-foreground, SIGWINCH);
    kill(-c->pid, SIGWINCH);
}

static void write_stdin(struct command *c) {
    while (c->in >= 0 && c->pending_len > 0) {
        ssize_t n = write(c->in, c->pending, c->pending_len);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) return;
            c->pending_len = 0; /* the command closed its stdin */
            break;
        }
        memmove(c->pending, c->pending + n, c->pending_len - (size_t) n);
        c->pending_len -= (size_t) n;
    }
    if (c->pending_len == 0 && c->close_in) close_fd(&c->in);
}

static void queue_stdin(struct command *c, const char *data, uint32_t len) {
    if (c->in < 0) return;
    char *grown = realloc(c->pending, c->pending_len + len);
    if (grown == NULL) die("out of memory");
    c->pending = grown;
    memcpy(c->pending + c->pending_len, data, len);
    c->pending_len += len;
    write_stdin(c);
}

/*
 * Reads what the pipe holds now, within the window unless the command exited; closes it at end of
 * file. A frame gathers up to CHUNK bytes of what waits: a slow writer's pipe gives a page or a line
 * per read, and a frame per read would cost the node a frame (and a chunk) per 4 KiB. With a 1 MiB
 * pipe a fast writer's output comes out in frames of up to 1 MiB (1 MiB frames written with one
 * writev ran well ahead of 64 KiB frames from a 64 KiB pipe: docs/benchmarks.md).
 */
static void forward(struct command *c, int *fd, char type, int all) {
    while (*fd >= 0 && (all || c->unacked < WINDOW)) {
        size_t got = 0;
        int more = 1;
        while (got < CHUNK) {
            ssize_t n = read(*fd, chunk + got, CHUNK - got);
            if (n > 0) {
                got += (size_t) n;
            } else if (n == 0) {
                close_fd(fd);
                more = 0;
                break;
            } else if (errno == EINTR) {
                continue;
            } else {
                if (errno != EAGAIN) close_fd(fd);
                more = 0;
                break;
            }
        }
        if (got > 0) {
            send_frame(type, c->id, chunk, (uint32_t) got);
            c->unacked += (uint32_t) got;
        }
        if (!more) return;
    }
}

static void drain_later(int *fd) {
    if (*fd < 0) return;
    if (drain_count < MAX_DRAINS) {
        drains[drain_count++] = *fd;
        *fd = -1;
    } else {
        close_fd(fd);
    }
}

/* A command that exited: whatever it wrote is in its pipes now; send it, then the exit. */
static void finish(int index) {
    struct command *c = &commands[index];
    /* bounded by what the pipes hold, so the window may be passed here */
    if (c->out >= 0) forward(c, &c->out, '1', 1);
    if (c->err >= 0) forward(c, &c->err, '2', 1);
    /* a terminal's session ends with its shell: nothing it started outlives the terminal (setsid escapes) */
    if (c->terminal) kill_session(c->pid);
    drain_later(&c->out);
    drain_later(&c->err);
    close_fd(&c->in);
    free(c->pending);
    char text[16];
    snprintf(text, sizeof text, "%d", c->status);
    send_text('X', c->id, text);
    commands[index] = commands[--command_count];
}

/* Notes the exits of commands forked here (those of the spawner's come as its messages). */
static void reap(void) {
    drain_wakeups(children_ended);
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (int i = 0; i < command_count; i++) {
            if (commands[i].local && commands[i].pid == pid) {
                commands[i].exited = 1;
                commands[i].status = exit_code(status);
                break;
            }
        }
    }
}

static void finish_exited(void) {
    for (int i = command_count - 1; i >= 0; i--) {
        if (commands[i].exited) finish(i);
    }
}

static void on_frame(char type, uint32_t id, char *payload, uint32_t len) {
    struct command *c = find(id);
    switch (type) {
        case 'R': run(id, payload, len); break;
        case 'T': run_on_terminal(id, payload, len); break;
        case 'W': if (c) resize(c, payload, len); break;
        case 'I': if (c) queue_stdin(c, payload, len); break;
        case 'C': if (c) { c->close_in = 1; write_stdin(c); } break;
        case 'K': if (c) kill_command(c); break;
        case 'A':
            if (c && len == 4) {
                unsigned char *a = (unsigned char *) payload;
                uint32_t taken = (uint32_t) a[0] << 24 | (uint32_t) a[1] << 16 | (uint32_t) a[2] << 8 | a[3];
                c->unacked = taken > c->unacked ? 0 : c->unacked - taken;
            }
            break;
        default: break;
    }
}

/* Frames from the node, read as they come; a frame may arrive in pieces. */
static char *inbox;
static size_t inbox_len, inbox_cap;

static int read_node(void) {
    if (inbox_cap - inbox_len < CHUNK) {
        inbox_cap = inbox_cap * 2 + CHUNK;
        inbox = realloc(inbox, inbox_cap);
        if (inbox == NULL) die("out of memory");
    }
    ssize_t n = read(0, inbox + inbox_len, inbox_cap - inbox_len);
    if (n == 0) return 0;
    if (n < 0) return errno == EINTR || errno == EAGAIN;
    inbox_len += (size_t) n;
    size_t at = 0;
    while (inbox_len - at >= 9) {
        unsigned char *h = (unsigned char *) inbox + at;
        uint32_t id = (uint32_t) h[1] << 24 | (uint32_t) h[2] << 16 | (uint32_t) h[3] << 8 | h[4];
        uint32_t len = (uint32_t) h[5] << 24 | (uint32_t) h[6] << 16 | (uint32_t) h[7] << 8 | h[8];
        if (len > MAX_FRAME) {
            errno = EMSGSIZE;
            die("frame too large");
        }
        if (inbox_len - at - 9 < len) {
            if (inbox_cap < len + 9) {
                inbox_cap = len + 9;
                memmove(inbox, inbox + at, inbox_len - at);
                inbox_len -= at;
                at = 0;
                inbox = realloc(inbox, inbox_cap);
                if (inbox == NULL) die("out of memory");
            }
            break;
        }
        on_frame((char) h[0], id, inbox + at + 9, len);
        at += 9 + len;
    }
    memmove(inbox, inbox + at, inbox_len - at);
    inbox_len -= at;
    return 1;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], SPAWNER_FLAG) == 0) return run_spawner();
    spawner = connect_spawner();
    children_ended = watch_children();
    if (children_ended < 0) die("pipe");
    signal(SIGPIPE, SIG_IGN);
    struct pollfd fds[3 + MAX_COMMANDS * 3 + MAX_DRAINS];
    for (;;) {
        int n = 0;
        fds[n++] = (struct pollfd) {.fd = 0, .events = POLLIN};
        fds[n++] = (struct pollfd) {.fd = children_ended, .events = POLLIN};
        fds[n++] = (struct pollfd) {.fd = spawner, .events = POLLIN};
        for (int i = 0; i < command_count; i++) {
            struct command *c = &commands[i];
            int open_window = c->unacked < WINDOW;
            fds[n++] = (struct pollfd) {.fd = open_window ? c->out : -1, .events = POLLIN};
            fds[n++] = (struct pollfd) {.fd = open_window ? c->err : -1, .events = POLLIN};
            fds[n++] = (struct pollfd) {.fd = c->pending_len > 0 ? c->in : -1, .events = POLLOUT};
        }
        for (int i = 0; i < drain_count; i++) {
            fds[n++] = (struct pollfd) {.fd = drains[i], .events = POLLIN};
        }
        if (poll(fds, (nfds_t) n, -1) < 0) {
            if (errno == EINTR) continue;
            die("poll");
        }
        int polled = command_count; /* read_node() may add commands: only those polled are looked at */
        if (fds[0].revents && !read_node()) {
            kill_all();
            return 0;
        }
        for (int i = 0, k = 3; i < polled; i++, k += 3) {
            struct command *c = &commands[i];
            if (fds[k].revents && c->out == fds[k].fd) forward(c, &c->out, '1', 0);
            if (fds[k + 1].revents && c->err == fds[k + 1].fd) forward(c, &c->err, '2', 0);
            if (fds[k + 2].revents && c->in == fds[k + 2].fd) write_stdin(c);
        }
        for (int i = 0, k = 3 + polled * 3; i < drain_count; i++, k++) {
            if (fds[k].revents == 0) continue;
            ssize_t r = read(drains[i], chunk, CHUNK);
            if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
                close(drains[i]);
                drains[i] = -1;
            }
        }
        int kept = 0;
        for (int i = 0; i < drain_count; i++) {
            if (drains[i] >= 0) drains[kept++] = drains[i];
        }
        drain_count = kept;
        if (fds[1].revents) reap();
        if (fds[2].revents) {
            while (read_spawner(0)) {
            }
        }
        finish_exited();
    }
}
