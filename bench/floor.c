// The race-safe floor of the "apply one new group" row: what any tool that walks the tree through
// held directory fds and refuses stale state must ask the kernel per path, in C, with no journal,
// no policy, no JS. Per path: openat(dirfd, name, O_NOFOLLOW), fstat (type, one link, device),
// fgetxattr (the ACL to merge into), fstat again before the write (the ctime says nothing changed
// since the read; grantsync reads a batch before it writes it), fsetxattr, close. It adds
// group:GID:rX to the access ACL of every path and to the default ACL of every directory, as
// `setfacl -R -m g:G:rX,d:g:G:rX` does (the bench checks the result is byte-identical).
//
// Usage: floor GID DIR...   Prints nothing; exits 1 on the first failure.

#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

enum { USER_OBJ = 1, USER = 2, GROUP_OBJ = 4, GROUP = 8, MASK = 0x10, OTHER = 0x20 };
struct entry { uint16_t tag, perm; uint32_t id; };
#define MAX_ENTRIES 64
#define NO_ID 0xffffffffu

static uint32_t gid;
static dev_t root_dev;

static void die(const char *what, const char *name) {
  perror(what);
  fprintf(stderr, "at %s\n", name);
  exit(1);
}

// Entries of an ACL xattr, or the three base entries of `mode` when there is none.
static int decode(const unsigned char *buf, ssize_t n, mode_t mode, struct entry *out) {
  if (n <= 0) {
    out[0] = (struct entry){USER_OBJ, (mode >> 6) & 7, NO_ID};
    out[1] = (struct entry){GROUP_OBJ, (mode >> 3) & 7, NO_ID};
    out[2] = (struct entry){OTHER, mode & 7, NO_ID};
    return 3;
  }
  int count = (int)((n - 4) / 8);
  for (int i = 0; i < count; i++) memcpy(&out[i], buf + 4 + 8 * i, 8);
  return count;
}

// Adds (or sets) group:gid:perm, keeps tag/id order, recalculates the mask as setfacl does.
static int merge(struct entry *e, int count, uint16_t perm) {
  int at = count, mask = -1;
  for (int i = 0; i < count; i++) {
    if (e[i].tag == GROUP && e[i].id == gid) { e[i].perm = perm; at = -1; break; }
    if (e[i].tag > GROUP || (e[i].tag == GROUP && e[i].id > gid)) { at = i; break; }
  }
  if (at >= 0) {
    memmove(&e[at + 1], &e[at], (size_t)(count - at) * sizeof *e);
    e[at] = (struct entry){GROUP, perm, gid};
    count++;
  }
  uint16_t group_class = 0;
  for (int i = 0; i < count; i++) {
    if (e[i].tag == USER || e[i].tag == GROUP || e[i].tag == GROUP_OBJ) group_class |= e[i].perm;
    if (e[i].tag == MASK) mask = i;
  }
  if (mask >= 0) e[mask].perm = group_class;
  else {
    // The mask sorts before other::, the last entry.
    e[count] = e[count - 1];
    e[count - 1] = (struct entry){MASK, group_class, NO_ID};
    count++;
  }
  return count;
}

static void set(int fd, const char *attr, struct entry *e, int count, const char *name) {
  unsigned char buf[4 + 8 * MAX_ENTRIES];
  uint32_t version = 2;
  memcpy(buf, &version, 4);
  memcpy(buf + 4, e, (size_t)count * 8);
  if (fsetxattr(fd, attr, buf, 4 + 8 * (size_t)count, 0) != 0) die("fsetxattr", name);
}

static void walk(int fd, const char *name);

static void visit(int dirfd, const char *name) {
  int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) die("openat", name);
  struct stat st, again;
  if (fstat(fd, &st) != 0) die("fstat", name);
  int dir = S_ISDIR(st.st_mode);
  if ((!dir && (!S_ISREG(st.st_mode) || st.st_nlink != 1)) || st.st_dev != root_dev) {
    close(fd);
    return;
  }
  unsigned char access[4 + 8 * MAX_ENTRIES], dflt[4 + 8 * MAX_ENTRIES];
  ssize_t na = fgetxattr(fd, "system.posix_acl_access", access, sizeof access);
  ssize_t nd = dir ? fgetxattr(fd, "system.posix_acl_default", dflt, sizeof dflt) : 0;
  if (fstat(fd, &again) != 0 || again.st_ctim.tv_sec != st.st_ctim.tv_sec ||
      again.st_ctim.tv_nsec != st.st_ctim.tv_nsec)
    die("changed since read", name);
  // rX: execute for a directory, or where any execute bit is set.
  uint16_t perm = (dir || (st.st_mode & 0111)) ? 5 : 4;
  struct entry e[MAX_ENTRIES + 2];
  set(fd, "system.posix_acl_access", e, merge(e, decode(access, na, st.st_mode, e), perm), name);
  if (dir) {
    // A directory without a default ACL gets one from its access ACL's base entries, as setfacl does.
    int n = nd > 0 ? decode(dflt, nd, 0, e) : decode(NULL, 0, st.st_mode, e);
    set(fd, "system.posix_acl_default", e, merge(e, n, 5), name);
    walk(fd, name);
    return;
  }
  close(fd);
}

// Takes ownership of fd.
static void walk(int fd, const char *name) {
  DIR *d = fdopendir(fd);
  if (!d) die("fdopendir", name);
  for (struct dirent *de; (de = readdir(d));) {
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
    if (de->d_type != DT_DIR && de->d_type != DT_REG && de->d_type != DT_UNKNOWN) continue;
    visit(dirfd(d), de->d_name);
  }
  closedir(d);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: floor GID DIR...\n");
    return 2;
  }
  gid = (uint32_t)strtoul(argv[1], NULL, 10);
  for (int i = 2; i < argc; i++) {
    struct stat st;
    if (lstat(argv[i], &st) != 0) die("lstat", argv[i]);
    root_dev = st.st_dev;
    visit(AT_FDCWD, argv[i]);
  }
  return 0;
}
