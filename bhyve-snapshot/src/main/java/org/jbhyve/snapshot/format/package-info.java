/**
 * jbhyve's snapshot file: one self-describing, versioned, checksummed, sparse file per checkpoint,
 * written atomically and restored lazily. The specification is docs/snapshot-format.md; this package
 * follows it.
 *
 * <ul>
 * <li>{@link org.jbhyve.snapshot.format.StateRecord}: the tagged, named-field encoding of every chunk.</li>
 * <li>{@link org.jbhyve.snapshot.format.SnapshotWriter}: temporary file (0600, flock), chunks and sparse
 *     RAM by positional writes, manifest and header, fsync, rename, directory fsync.</li>
 * <li>{@link org.jbhyve.snapshot.format.SnapshotReader}: validates everything but RAM at open, maps RAM
 *     {@code MAP_PRIVATE}, {@code verify()} checks the RAM block CRCs.</li>
 * <li>{@link org.jbhyve.snapshot.format.ChunkRegistry}: per chunk kind, the versions a restore accepts and
 *     the upgraders between them.</li>
 * <li>{@link org.jbhyve.snapshot.format.SnapshotInspector}: text and JSON descriptions.</li>
 * </ul>
 *
 * <p>The file calls ({@code openat}, {@code renameat}, {@code unlinkat}, {@code fsync}, {@code pread},
 * {@code pwrite}, {@code lseek}, {@code flock}) are bindings' {@code libc_h}, wrapped by the package-private
 * {@code Fs}.
 */
package org.jbhyve.snapshot.format;
