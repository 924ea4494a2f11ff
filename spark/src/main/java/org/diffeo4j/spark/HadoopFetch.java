package org.diffeo4j.spark;

import org.diffeo4j.validate.BadInputException;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.diffeo4j.data.Datasets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Copies a Hadoop URI (hdfs://, s3a://, file:, any scheme the class path's Hadoop file systems know)
 * to a local folder: a file together with the label file a dataset reads beside it, or a whole
 * folder. The Hadoop configuration is the {@code spark.hadoop.*} properties of the job (prefix
 * removed) over the defaults Hadoop finds on the class path and in HADOOP_CONF_DIR.
 */
final class HadoopFetch {
    private HadoopFetch() {
    }

    /** Copies {@code uri} into {@code into} (created) and returns the local copy of what it names. */
    static Path fetch(String uri, Path into, Map<String, String> hadoop) throws IOException {
        Configuration conf = new Configuration();
        hadoop.forEach(conf::set);
        org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(uri);
        FileSystem fs = src.getFileSystem(conf);
        if (!fs.exists(src)) {
            throw new BadInputException("datasets and models must name existing files, found no " + uri);
        }
        java.nio.file.Files.createDirectories(into);
        Path dst = into.resolve(src.getName());
        // Raw local file system: no .crc files beside the copies.
        fs.copyToLocalFile(false, src, new org.apache.hadoop.fs.Path(dst.toUri()), true);
        String labels = Datasets.labelsName(src.getName());
        if (labels != null && fs.isFile(src)) {
            org.apache.hadoop.fs.Path sibling = new org.apache.hadoop.fs.Path(src.getParent(), labels);
            if (fs.exists(sibling)) {
                fs.copyToLocalFile(false, sibling, new org.apache.hadoop.fs.Path(into.resolve(labels).toUri()), true);
            }
        }
        return dst;
    }
}
