/* How a command starts and ends, the same whether the spawner or the agent forks it. */
#define _GNU_SOURCE
#include "cn-agent.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int parse_command_line(char *payload, uint32_t len, struct command_line *line) {
    if (len == 0 || payload[len - 1] != '\0') return -1;
    char *end = payload + len;
    line->cwd = payload;
    char *p = payload + strlen(payload) + 1;
    int envc = 0;
    while (p < end && *p != '\0' && envc < 255) {
        line->env[envc++] = p;
        p += strlen(p) + 1;
    }
    line->env[envc] = NULL;
    p++;
    int argc = 0;
    while (p < end && argc < 255) {
        line->argv[argc++] = p;
        p += strlen(p) + 1;
    }
    line->argv[argc] = NULL;
    return argc == 0 ? -1 : 0;
}

/* True when the frame's entries set the variable of entry (NAME=...), which then gives way to theirs. */
static int overridden(const char *entry, struct command_line *line) {
    size_t name = strcspn(entry, "=");
    for (int i = 0; line->env[i] != NULL; i++) {
        if (strncmp(line->env[i], entry, name) == 0 && line->env[i][name] == '=') return 1;
    }
    return 0;
}

/* In the vfork child: must neither return nor touch the parent's memory (no malloc, no putenv). */
static void exec_command(int in, int out, int err, struct command_line *line, char **envp) {
    signal(SIGPIPE, SIG_DFL);
    signal(SIGCHLD, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    setsid();
    /* above 2 first: a received pipe end may be numbered 0, 1 or 2 where those were closed */
    int ends[3] = {fcntl(in, F_DUPFD, 3), fcntl(out, F_DUPFD, 3), fcntl(err, F_DUPFD, 3)};
    for (int i = 0; i < 3; i++) {
        dup2(ends[i], i);
        close(ends[i]);
    }
    /* a terminal's command (a PTY start) makes the terminal its session's controlling terminal: job
     * control, ^C and SIGWINCH reach its foreground group; a pipe's command is unchanged */
    if (isatty(0)) ioctl(0, TIOCSCTTY, 0);
    if (chdir(line->cwd) < 0) {
        dprintf(2, "cn-agent: %s: %s\n", line->cwd, strerror(errno));
        _exit(126);
    }
    /* the program is looked up on the sandbox's PATH: a frame with a PATH of its own runs /bin/sh (CommandLine) */
    execvpe(line->argv[0], line->argv, envp);
    dprintf(2, "cn-agent: %s: %s\n", line->argv[0], strerror(errno));
    _exit(errno == ENOENT ? 127 : 126);
}

pid_t start_command(int in, int out, int err, struct command_line *line) {
    /* The environment is built here, before the child exists: the sandbox's own, the frame's over it. */
    size_t count = 1;
    for (char **e = environ; *e != NULL; e++) count++;
    for (int i = 0; line->env[i] != NULL; i++) count++;
    char **envp = malloc(count * sizeof *envp);
    if (envp == NULL) return -1;
    size_t k = 0;
    for (char **e = environ; *e != NULL; e++) {
        if (!overridden(*e, line)) envp[k++] = *e;
    }
    for (int i = 0; line->env[i] != NULL; i++) envp[k++] = line->env[i];
    envp[k] = NULL;
    /* vfork, not fork: under gVisor every new address space costs milliseconds, and a fork's copy is
     * thrown away by the exec at once (docs/benchmarks.md, "a command's start inside the sandbox"). */
    pid_t pid = vfork();
    if (pid == 0) exec_command(in, out, err, line, envp);
    int failure = errno;
    free(envp);
    errno = failure;
    return pid;
}

static int wakeups[2];

static void on_sigchld(int sig) {
    (void) sig;
    int saved = errno;
    char b = 0;
    if (write(wakeups[1], &b, 1) < 0) {
        /* the pipe is full: a wake-up is pending anyway */
    }
    errno = saved;
}

int watch_children(void) {
    if (pipe2(wakeups, O_CLOEXEC | O_NONBLOCK) < 0) return -1;
    struct sigaction action = {0};
    action.sa_handler = on_sigchld;
    action.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigaction(SIGCHLD, &action, NULL);
    return wakeups[0];
}

void drain_wakeups(int fd) {
    char buffer[64];
    while (read(fd, buffer, sizeof buffer) > 0) {
    }
}

void kill_group(pid_t pid) {
    for (int i = 0; i < 20000 && kill(-pid, SIGKILL) == 0; i++) {
    }
    kill(pid, SIGKILL);
}

void kill_session(pid_t pid) {
    kill_group(pid);
    /* bounded: a member forked while the list is read is found by the next pass */
    for (int pass = 0; pass < 20; pass++) {
        DIR *proc = opendir("/proc");
        if (proc == NULL) return;
        int found = 0;
        struct dirent *entry;
        while ((entry = readdir(proc)) != NULL) {
            pid_t member = (pid_t) atoi(entry->d_name);
            if (member > 1 && member != pid && getsid(member) == pid && kill(member, SIGKILL) == 0) found = 1;
        }
        closedir(proc);
        if (!found) return;
    }
}

int exit_code(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void put_u32(unsigned char *at, uint32_t value) {
    at[0] = (unsigned char) (value >> 24);
    at[1] = (unsigned char) (value >> 16);
    at[2] = (unsigned char) (value >> 8);
    at[3] = (unsigned char) value;
}

uint32_t get_u32(const unsigned char *at) {
    return (uint32_t) at[0] << 24 | (uint32_t) at[1] << 16 | (uint32_t) at[2] << 8 | at[3];
}
