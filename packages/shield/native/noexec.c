// fnguard shield kernel layer: a Node-API addon that forbids execve/execveat for the whole process
// (every thread, via SECCOMP_FILTER_FLAG_TSYNC) once the function has started.
// Exports: probe() -> "ok" | reason, lockExec() -> "ok" | reason. Never aborts: every failure is a string.
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <node_api.h>

#ifdef __linux__
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define FNG_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define FNG_ARCH AUDIT_ARCH_AARCH64
#endif

#ifndef SECCOMP_FILTER_FLAG_TSYNC
#define SECCOMP_FILTER_FLAG_TSYNC 1
#endif
#ifndef SECCOMP_GET_ACTION_AVAIL
#define SECCOMP_GET_ACTION_AVAIL 2
#endif
#ifndef __NR_execveat
#if defined(__x86_64__)
#define __NR_execveat 322
#elif defined(__aarch64__)
#define __NR_execveat 281
#endif
#endif
#endif

static napi_value str(napi_env env, const char *s) {
  napi_value v;
  napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v);
  return v;
}

static const char *errmsg(const char *what, int e, char *buf, size_t n) {
  snprintf(buf, n, "%s: %s", what, strerror(e));
  return buf;
}

#if defined(__linux__) && defined(FNG_ARCH)
static long do_seccomp(unsigned int op, unsigned int flags, void *args) {
  return syscall(__NR_seccomp, op, flags, args);
}

static napi_value Probe(napi_env env, napi_callback_info info) {
  (void)info;
  char buf[160];
  unsigned int action = SECCOMP_RET_ERRNO;
  if (do_seccomp(SECCOMP_GET_ACTION_AVAIL, 0, &action) != 0) return str(env, errmsg("seccomp", errno, buf, sizeof buf));
  if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1 && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    return str(env, errmsg("prctl(PR_SET_NO_NEW_PRIVS)", errno, buf, sizeof buf));
  return str(env, "ok");
}

static napi_value LockExec(napi_env env, napi_callback_info info) {
  (void)info;
  char buf[160];
  struct sock_filter filter[] = {
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, FNG_ARCH, 1, 0),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)), /* foreign ABI: deny everything */
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
#if defined(__x86_64__)
    BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 2, 0), /* x32 syscalls: denied */
#else
    BPF_JUMP(BPF_JMP | BPF_JA, 0, 0, 0),
#endif
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_execve, 1, 0),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_execveat, 0, 1),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {(unsigned short)(sizeof filter / sizeof filter[0]), filter};
  /* Lambda may already have set no_new_privs: try without it first, then set it and retry. */
  long r = do_seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog);
  if (r != 0 && errno == EACCES) {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return str(env, errmsg("prctl(PR_SET_NO_NEW_PRIVS)", errno, buf, sizeof buf));
    r = do_seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog);
  }
  if (r > 0) {
    snprintf(buf, sizeof buf, "TSYNC failed for thread %ld", r);
    return str(env, buf);
  }
  if (r != 0) return str(env, errmsg("seccomp(SET_MODE_FILTER)", errno, buf, sizeof buf));
  return str(env, "ok");
}
#else
static napi_value Probe(napi_env env, napi_callback_info info) {
  (void)info;
  return str(env, "unsupported platform");
}
static napi_value LockExec(napi_env env, napi_callback_info info) {
  (void)info;
  return str(env, "unsupported platform");
}
#endif

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    {"probe", NULL, Probe, NULL, NULL, NULL, napi_default, NULL},
    {"lockExec", NULL, LockExec, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, 2, props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
