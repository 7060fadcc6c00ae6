// Reads kernels' launch attributes out of a fatbin's sm_90 cubin. The layout (fatbin entries, ELF sections,
// the .nv.info attribute records) is what nvcc 13 writes; every read is bounds-checked, so a malformed image is a
// refused module, never a crash.
#include "cubin.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
  FATBIN_MAGIC = 0xBA55ED50u,
  FATBIN_KIND_ELF = 2,
  TARGET_ARCH = 90,
  // .nv.info attribute records: 4-byte header (format, attribute, and for format 4 a 16-bit size).
  EIFMT_SVAL = 4,
  EIATTR_MAX_THREADS = 0x05,
  EIATTR_KPARAM_INFO = 0x17,
  EIATTR_REGCOUNT = 0x2f,
  // sm_80 and later reserve 1 KiB of shared memory per block; the cubin's .nv.shared section counts it.
  RESERVED_SHARED = 1024,
};

typedef struct {
  const uint8_t* p;
  size_t n;
} bytes;

typedef struct {
  uint32_t name, type;
  uint64_t offset, size;
  uint32_t link;
} section;

static int read_u16(bytes b, size_t at, uint16_t* v) {
  if (at + 2 > b.n) return 0;
  memcpy(v, b.p + at, 2);
  return 1;
}
static int read_u32(bytes b, size_t at, uint32_t* v) {
  if (at + 4 > b.n) return 0;
  memcpy(v, b.p + at, 4);
  return 1;
}
static int read_u64(bytes b, size_t at, uint64_t* v) {
  if (at + 8 > b.n) return 0;
  memcpy(v, b.p + at, 8);
  return 1;
}

// The ELF image of the sm_90 entry of a fatbin; a bare cubin is returned as it is.
static int find_elf(const uint8_t* image, bytes* elf, char* why, size_t why_len) {
  uint32_t magic;
  memcpy(&magic, image, 4);
  if (memcmp(image, "\x7f" "ELF", 4) == 0) {
    // A bare cubin: its size is where its section header table ends.
    uint64_t shoff;
    uint16_t shentsize, shnum;
    memcpy(&shoff, image + 0x28, 8);
    memcpy(&shentsize, image + 0x3a, 2);
    memcpy(&shnum, image + 0x3c, 2);
    elf->p = image;
    elf->n = shoff + (uint64_t)shentsize * shnum;
    return 1;
  }
  if (magic != FATBIN_MAGIC) {
    snprintf(why, why_len, "not a fatbin or cubin (magic 0x%08x)", magic);
    return 0;
  }
  uint16_t header;
  uint64_t fat;
  memcpy(&header, image + 6, 2);
  memcpy(&fat, image + 8, 8);
  bytes all = {image, header + fat};
  for (size_t at = header; at + 32 <= all.n;) {
    uint16_t kind;
    uint32_t entry_header, arch;
    uint64_t payload;
    if (!read_u16(all, at, &kind) || !read_u32(all, at + 4, &entry_header) || !read_u64(all, at + 8, &payload)
        || !read_u32(all, at + 28, &arch) || at + entry_header + payload > all.n)
      break;
    const uint8_t* body = all.p + at + entry_header;
    if (kind == FATBIN_KIND_ELF && arch == TARGET_ARCH) {
      if (payload < 64 || memcmp(body, "\x7f" "ELF", 4) != 0) {
        snprintf(why, why_len, "the sm_90 entry is compressed, which the stand-in does not read");
        return 0;
      }
      elf->p = body;
      elf->n = payload;
      return 1;
    }
    at += entry_header + payload;
  }
  snprintf(why, why_len, "the fatbin holds no sm_90 cubin (CUDA_ERROR_NO_BINARY_FOR_GPU on an H100/H200)");
  return 0;
}

typedef struct {
  bytes elf;
  section* sections;
  uint16_t count;
  uint16_t names;  // index of the section-name string table
} cubin;

static const char* str_at(bytes b, const section* table, uint32_t offset) {
  if (table->offset + offset >= b.n) return "";
  const char* s = (const char*)b.p + table->offset + offset;
  size_t room = b.n - (table->offset + offset);
  return memchr(s, 0, room) ? s : "";
}

static const char* section_name(const cubin* c, uint16_t i) {
  return str_at(c->elf, &c->sections[c->names], c->sections[i].name);
}

static int open_cubin(bytes elf, cubin* c, char* why, size_t why_len) {
  uint64_t shoff;
  uint16_t shentsize, shnum, shstrndx;
  if (elf.n < 64 || elf.p[4] != 2 || elf.p[5] != 1 || !read_u64(elf, 0x28, &shoff)
      || !read_u16(elf, 0x3a, &shentsize) || !read_u16(elf, 0x3c, &shnum) || !read_u16(elf, 0x3e, &shstrndx)
      || shentsize < 64 || shstrndx >= shnum) {
    snprintf(why, why_len, "the sm_90 cubin is not a 64-bit little-endian ELF with sections");
    return 0;
  }
  c->elf = elf;
  c->count = shnum;
  c->names = shstrndx;
  c->sections = calloc(shnum, sizeof(section));
  for (uint16_t i = 0; i < shnum; i++) {
    size_t at = shoff + (size_t)i * shentsize;
    section* s = &c->sections[i];
    if (!read_u32(elf, at, &s->name) || !read_u32(elf, at + 4, &s->type) || !read_u64(elf, at + 24, &s->offset)
        || !read_u64(elf, at + 32, &s->size) || !read_u32(elf, at + 40, &s->link)
        || (s->type != 8 /* SHT_NOBITS */ && s->offset + s->size > elf.n)) {
      snprintf(why, why_len, "section %u of the sm_90 cubin lies outside the image", i);
      free(c->sections);
      return 0;
    }
  }
  return 1;
}

static int find_section(const cubin* c, const char* prefix, const char* kernel) {
  size_t n = strlen(prefix);
  for (uint16_t i = 0; i < c->count; i++) {
    const char* name = section_name(c, i);
    if (strncmp(name, prefix, n) == 0 && strcmp(name + n, kernel) == 0) return i;
  }
  return -1;
}

// Calls visit(attribute, value bytes, kernel) for every record of an .nv.info section.
static void each_attribute(const cubin* c, int index, void (*visit)(uint8_t, bytes, standin_kernel*, const cubin*),
                           standin_kernel* k) {
  const section* s = &c->sections[index];
  bytes b = {c->elf.p + s->offset, s->size};
  for (size_t at = 0; at + 4 <= b.n;) {
    uint8_t format = b.p[at], attribute = b.p[at + 1];
    if (format == EIFMT_SVAL) {
      uint16_t size;
      read_u16(b, at + 2, &size);
      if (at + 4 + size > b.n) return;
      visit(attribute, (bytes){b.p + at + 4, size}, k, c);
      at += 4 + size;
    } else {
      visit(attribute, (bytes){b.p + at + 2, 2}, k, c);
      at += 4;
    }
  }
}

static void kernel_attribute(uint8_t attribute, bytes v, standin_kernel* k, const cubin* c) {
  (void)c;
  uint32_t x, y, z;
  if (attribute == EIATTR_MAX_THREADS && read_u32(v, 0, &x) && read_u32(v, 4, &y) && read_u32(v, 8, &z)) {
    k->max_threads = x * y * z;
  } else if (attribute == EIATTR_KPARAM_INFO && v.n >= 12) {
    uint16_t ordinal;
    uint32_t flags;
    read_u16(v, 4, &ordinal);
    read_u32(v, 8, &flags);
    if (ordinal < 64) {
      k->param_size[ordinal] = (flags >> 18) & 0x3fff;
      if (ordinal + 1u > k->params) k->params = ordinal + 1u;
    }
  }
}

// EIATTR_REGCOUNT lives in the module-wide .nv.info, keyed by the kernel's symbol index.
static void module_attribute(uint8_t attribute, bytes v, standin_kernel* k, const cubin* c) {
  uint32_t symbol, registers;
  if (attribute != EIATTR_REGCOUNT || !read_u32(v, 0, &symbol) || !read_u32(v, 4, &registers)) return;
  for (uint16_t i = 0; i < c->count; i++) {
    if (c->sections[i].type != 2 /* SHT_SYMTAB */) continue;
    const section* symtab = &c->sections[i];
    uint32_t name;
    if (symbol * 24ull + 24 > symtab->size || symtab->link >= c->count) return;
    bytes table = {c->elf.p + symtab->offset, symtab->size};
    if (read_u32(table, symbol * 24ull, &name)
        && strcmp(str_at(c->elf, &c->sections[symtab->link], name), k->name) == 0)
      k->registers = registers;
  }
}

standin_kernel* standin_parse_image(const void* image, size_t* count, char* why, size_t why_len) {
  bytes elf;
  cubin c;
  *count = 0;
  if (image == NULL) {
    snprintf(why, why_len, "the image is NULL");
    return NULL;
  }
  if (!find_elf(image, &elf, why, why_len) || !open_cubin(elf, &c, why, why_len)) return NULL;
  standin_kernel* kernels = calloc(c.count, sizeof(standin_kernel));
  int info = find_section(&c, ".nv.info", "");
  for (uint16_t i = 0; i < c.count; i++) {
    const char* name = section_name(&c, i);
    if (strncmp(name, ".text.", 6) != 0) continue;
    standin_kernel* k = &kernels[(*count)++];
    snprintf(k->name, sizeof k->name, "%s", name + 6);
    int attributes = find_section(&c, ".nv.info.", k->name);
    if (attributes >= 0) each_attribute(&c, attributes, kernel_attribute, k);
    if (info >= 0) each_attribute(&c, info, module_attribute, k);
    int shared = find_section(&c, ".nv.shared.", k->name);
    if (shared >= 0) {
      uint64_t size = c.sections[shared].size;
      k->static_shared = (unsigned)(size >= RESERVED_SHARED ? size - RESERVED_SHARED : size);
    }
  }
  free(c.sections);
  return kernels;
}
