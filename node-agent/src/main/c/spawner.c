/*
 * The spawner: cn-agent --spawner, PID 1's child (tini -- /.crownest/cn-agent --spawner), which
 * keeps the sandbox alive and forks every command, so that a command and all it leaves running
 * descend from PID 1. With runsc 0.0~20240729 a restore brings back dead every process that
 * `runsc exec` started and their descendants (gVisor #11544), and the process agent is such a process.
 *
 * The agent asks over an abstract unix stream socket, root's alone (SO_PEERCRED): a request is the
 * command id and the run frame's payload length (u32 big-endian each), the payload, and the command's
 * stdin, stdout and stderr pipe ends passed with SCM_RIGHTS on its first byte. The spawner answers
 * SPAWNED with the pid (or SPAWN_FAILED), reaps the command and tells its exit code (EXITED): the
 * agent cannot wait for a process that is not its child. Everything else stays the agent's: the
 * pipes, the frames to the node, killing a command's group. When an agent's connection closes (it
 * exited, or was killed), the groups of its commands that still run are killed: no command outlives
 * its reader.
 */
#define _GNU_SOURCE
#include "cn-agent.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_AGENTS 16
#define MAX_CHILDREN 4096

struct child {
    pid_t pid;
    int agent; /* the connection that asked for it; -1 once closed */
    uint32_t id;
};

static struct child children[MAX_CHILDREN];
static int child_count;
static int agents[MAX_AGENTS];
static int agent_count;
static int children_ended; /* readable when a child ended */

static socklen_t address(struct sockaddr_un *addr) {
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    memcpy(addr->sun_path + 1, SPAWNER_SOCKET, strlen(SPAWNER_SOCKET)); /* sun_path[0] NUL: abstract */
    return (socklen_t) (offsetof(struct sockaddr_un, sun_path) + 1 + strlen(SPAWNER_SOCKET));
}

static int read_full(int fd, void *data, size_t len) {
    char *p = data;
    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        p += n;
        len -= (size_t) n;
    }
    return 0;
}

static int send_full(int fd, const void *data, size_t len) {
    const char *p = data;
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        p += n;
        len -= (size_t) n;
    }
    return 0;
}

static void tell(int agent, char type, uint32_t id, int32_t value) {
    unsigned char message[MESSAGE_BYTES] = {(unsigned char) type};
    put_u32(message + 1, id);
    put_u32(message + 5, (uint32_t) value);
    if (agent >= 0) send_full(agent, message, sizeof message); /* a closed agent is seen by poll */
}

static void reap(void) {
    drain_wakeups(children_ended);
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (int i = 0; i < child_count; i++) {
            if (children[i].pid == pid) {
                tell(children[i].agent, EXITED, children[i].id, exit_code(status));
                children[i] = children[--child_count];
                break;
            }
        }
    }
}

static void drop_agent(int index) {
    int agent = agents[index];
    for (int i = 0; i < child_count; i++) {
        if (children[i].agent == agent) {
            kill_group(children[i].pid); /* not reaped yet, so the pid is still this command's */
            children[i].agent = -1;
        }
    }
    close(agent);
    agents[index] = agents[--agent_count];
}

static void close_all(int *fds, int count) {
    for (int i = 0; i < count; i++) close(fds[i]);
}

/* One request: 0, or -1 when the connection is to be dropped. */
static int serve(int agent) {
    unsigned char header[8];
    int fds[3];
    int fd_count = 0;
    union {
        struct cmsghdr align;
        char bytes[CMSG_SPACE(sizeof fds)];
    } control;
    struct iovec part = {header, sizeof header};
    struct msghdr message = {.msg_iov = &part, .msg_iovlen = 1, .msg_control = control.bytes,
            .msg_controllen = sizeof control.bytes};
    ssize_t n;
    do {
        n = recvmsg(agent, &message, MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    if (n <= 0) return -1;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&message); c != NULL; c = CMSG_NXTHDR(&message, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            int count = (int) ((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            for (int i = 0; i < count; i++) {
                int fd;
                memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
                if (fd_count < 3) fds[fd_count++] = fd; else close(fd);
            }
        }
    }
    if ((size_t) n < sizeof header && read_full(agent, header + n, sizeof header - (size_t) n) < 0) {
        close_all(fds, fd_count);
        return -1;
    }
    uint32_t id = get_u32(header);
    uint32_t len = get_u32(header + 4);
    char *payload = len <= MAX_FRAME ? malloc(len + 1) : NULL;
    if (payload == NULL || read_full(agent, payload, len) < 0) {
        free(payload);
        close_all(fds, fd_count);
        return -1;
    }
    struct command_line line;
    if (fd_count != 3 || child_count == MAX_CHILDREN || parse_command_line(payload, len, &line) < 0) {
        free(payload);
        close_all(fds, fd_count);
        tell(agent, SPAWN_FAILED, id, EINVAL);
        return 0;
    }
    pid_t pid = start_command(fds[0], fds[1], fds[2], &line);
    int failure = errno;
    free(payload);
    close_all(fds, fd_count);
    if (pid < 0) {
        tell(agent, SPAWN_FAILED, id, failure);
        return 0;
    }
    children[child_count++] = (struct child) {.pid = pid, .agent = agent, .id = id};
    tell(agent, SPAWNED, id, pid);
    return 0;
}

static void accept_agent(int listener) {
    int agent = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    if (agent < 0) return;
    struct ucred peer;
    socklen_t size = sizeof peer;
    /* root's alone: another user of the sandbox must not get root's commands started */
    if (agent_count == MAX_AGENTS || getsockopt(agent, SOL_SOCKET, SO_PEERCRED, &peer, &size) < 0
            || peer.uid != 0) {
        close(agent);
        return;
    }
    agents[agent_count++] = agent;
}

int run_spawner(void) {
    /* 0, 1 and 2 open, so that no socket or pipe end takes their numbers */
    int null;
    while ((null = open("/dev/null", O_RDWR)) >= 0 && null < 3) {
    }
    if (null > 2) close(null);
    children_ended = watch_children();
    if (children_ended < 0) {
        perror("cn-agent --spawner: pipe");
        return 70;
    }
    signal(SIGPIPE, SIG_IGN);
    int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un addr;
    socklen_t addr_len = address(&addr);
    if (listener < 0 || bind(listener, (struct sockaddr *) &addr, addr_len) < 0 || listen(listener, 16) < 0) {
        perror("cn-agent --spawner: listen");
        return 70;
    }
    struct pollfd fds[2 + MAX_AGENTS];
    for (;;) {
        int n = 0;
        fds[n++] = (struct pollfd) {.fd = listener, .events = POLLIN};
        fds[n++] = (struct pollfd) {.fd = children_ended, .events = POLLIN};
        for (int i = 0; i < agent_count; i++) fds[n++] = (struct pollfd) {.fd = agents[i], .events = POLLIN};
        if (poll(fds, (nfds_t) n, -1) < 0) {
            if (errno == EINTR) continue;
            perror("cn-agent --spawner: poll");
            return 70;
        }
        /* a pid is told as the command is forked, so always ahead of its exit */
        for (int i = agent_count - 1; i >= 0; i--) {
            if (fds[2 + i].revents && serve(agents[i]) < 0) drop_agent(i);
        }
        if (fds[1].revents) reap();
        if (fds[0].revents) accept_agent(listener);
    }
}

int connect_spawner(void) {
    char cmdline[512] = {0};
    int proc = open("/proc/1/cmdline", O_RDONLY | O_CLOEXEC);
    ssize_t got = proc < 0 ? -1 : read(proc, cmdline, sizeof cmdline - 1);
    if (proc >= 0) close(proc);
    int expected = 0;
    for (ssize_t at = 0; at < got; at += (ssize_t) strlen(cmdline + at) + 1) {
        if (strcmp(cmdline + at, SPAWNER_FLAG) == 0) expected = 1;
    }
    if (!expected) return -1;
    struct sockaddr_un addr;
    socklen_t addr_len = address(&addr);
    /* a new sandbox's agent may start before PID 1 has started the spawner */
    for (int attempt = 0; attempt < 500; attempt++) {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) return -1;
        if (connect(fd, (struct sockaddr *) &addr, addr_len) == 0) return fd;
        close(fd);
        struct timespec pause = {0, 10 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    fprintf(stderr, "cn-agent: no spawner after 5 s: commands start from the agent\n");
    return -1;
}

int request_spawn(int spawner, uint32_t id, const char *payload, uint32_t len, int in, int out, int err) {
    unsigned char header[8];
    put_u32(header, id);
    put_u32(header + 4, len);
    int fds[3] = {in, out, err};
    union {
        struct cmsghdr align;
        char bytes[CMSG_SPACE(sizeof fds)];
    } control;
    memset(&control, 0, sizeof control);
    struct iovec part = {header, sizeof header};
    struct msghdr message = {.msg_iov = &part, .msg_iovlen = 1, .msg_control = control.bytes,
            .msg_controllen = sizeof control.bytes};
    struct cmsghdr *c = CMSG_FIRSTHDR(&message);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof fds);
    memcpy(CMSG_DATA(c), fds, sizeof fds);
    ssize_t n;
    do {
        n = sendmsg(spawner, &message, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return -1;
    if ((size_t) n < sizeof header && send_full(spawner, header + n, sizeof header - (size_t) n) < 0) return -1;
    return send_full(spawner, payload, len);
}
