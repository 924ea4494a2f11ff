package org.diffeo4j.spark;

import java.io.Serializable;

/**
 * Where an executor reads one location of the study file: inside an archive the driver shipped
 * with the job ({@code SparkContext.addArchive}, unpacked in the executor's work folder), or at a
 * Hadoop URI every executor reads itself.
 *
 * @param archive the shipped archive's file name (null for a URI)
 * @param inside the path inside the unpacked archive ("" for its root)
 * @param uri the URI as the study file writes it (null for a shipped path)
 */
record Location(String archive, String inside, String uri) implements Serializable {
    static Location shipped(String archive, String inside) {
        return new Location(archive, inside, null);
    }

    static Location uri(String uri) {
        return new Location(null, null, uri);
    }
}
