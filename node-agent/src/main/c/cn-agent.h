/*
 * What the process agent (cn-agent.c) and its spawner (spawner.c) share: how a command is started
 * from a run frame's payload, how its process group is killed, and the spawner's socket.
 */
#ifndef CN_AGENT_H
#define CN_AGENT_H

#include <stdint.h>
#include <sys/types.h>

/* An abstract unix socket: nothing to create on a root that may be read-only, and the sandbox's own. */
#define SPAWNER_SOCKET "crownest-spawner"
/* The flag that makes cn-agent the spawner (under PID 1: tini -- cn-agent --spawner). */
#define SPAWNER_FLAG "--spawner"

#define MAX_FRAME (64u << 20)

/* Messages of the spawner, all 9 bytes: type, command id (u32 big-endian), value (i32 big-endian). */
#define SPAWNED 'P'      /* value: the pid */
#define SPAWN_FAILED 'E' /* value: errno of the start */
#define EXITED 'X'       /* value: the exit code (128 + signal when killed by one) */
#define MESSAGE_BYTES 9

/* A run frame's payload split: cwd NUL, "K=V" NUL ..., NUL, argv NUL ... (argv[0] NULL when malformed). */
struct command_line {
    char *cwd;
    char *env[256];
    char *argv[256];
};

/* Answers 0 and fills line when the payload is well formed and names a program. */
int parse_command_line(char *payload, uint32_t len, struct command_line *line);

/*
 * Starts the command in a new child that leads its own session and process group, with in, out and err
 * as its stdin, stdout and stderr and the line's environment entries over the caller's: its pid, or -1
 * with errno set.
 */
pid_t start_command(int in, int out, int err, struct command_line *line);

/* A pipe readable once a child ended (SIGCHLD writes to it): its read end, or -1. */
int watch_children(void);

/* Empties that pipe before the children are reaped. */
void drain_wakeups(int fd);

/* SIGKILLs the group until no member is left (its members fork while it is being killed). */
void kill_group(pid_t pid);

/*
 * SIGKILLs the group of pid and every process of the session it leads: a terminal's shell puts each
 * job in a process group of its own, so a terminal's processes are its session's, not its group's.
 */
void kill_session(pid_t pid);

int exit_code(int status);

void put_u32(unsigned char *at, uint32_t value);
uint32_t get_u32(const unsigned char *at);

/* The spawner's main loop; see spawner.c. */
int run_spawner(void);

/*
 * The process agent's end: connects to the spawner when PID 1 runs one (waiting a moment for it to
 * listen); -1 when there is none (a sandbox started before the spawner: commands are forked here).
 */
int connect_spawner(void);

/* Sends a spawn request with the command's pipe ends; -1 when the spawner is gone. */
int request_spawn(int spawner, uint32_t id, const char *payload, uint32_t len, int in, int out, int err);

#endif
