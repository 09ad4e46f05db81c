/**
 * FreeBSD's libnv nvlists in Java, byte-exact with libnv's packed format: the model
 * ({@link org.jbhyve.snapshot.nv.NvList}, {@link org.jbhyve.snapshot.nv.NvPair},
 * {@link org.jbhyve.snapshot.nv.NvType}), the codec ({@link org.jbhyve.snapshot.nv.NvPacker},
 * {@link org.jbhyve.snapshot.nv.NvUnpacker}) and the text form of the test vectors
 * ({@link org.jbhyve.snapshot.nv.NvFormatter}). Errors are {@link org.jbhyve.snapshot.nv.NvException}s
 * carrying the errno libnv would report.
 *
 * <p>Sources of truth: shared/reference/freebsd-bhyve.md section 1c and shared/vectors/libnv
 * (FORMAT.txt, MANIFEST.txt, invalid/EXPECTED.txt), which the tests decode, re-encode and reject.
 *
 * <p>Where this package deliberately differs from libnv:
 * <ul>
 * <li>Nesting is limited to {@link org.jbhyve.snapshot.nv.NvList#MAX_DEPTH} levels (libnv: none).</li>
 * <li>Unpacking requires the last string of a string array to end in NUL (libnv reads past the data
 *     when it does not).</li>
 * <li>Big-endian input has its {@code nitems} fields byte-swapped (libnv leaves them, and so rejects
 *     arrays from big-endian hosts).</li>
 * <li>{@link org.jbhyve.snapshot.nv.NvPacker#pack} also packs lists holding descriptors, returning the
 *     descriptors beside the bytes ({@code nvlist_pack} refuses them;
 *     {@link org.jbhyve.snapshot.nv.NvPacker#packWithoutDescriptors} keeps that rule).</li>
 * <li>A missing pair or a pair of another type is an exception, where libnv aborts the process.</li>
 * </ul>
 * Descriptors are plain {@code int}s here: adding one neither duplicates nor closes it.
 */
package org.jbhyve.snapshot.nv;
