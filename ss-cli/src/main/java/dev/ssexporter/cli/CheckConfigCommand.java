package dev.ssexporter.cli;

import dev.ssexporter.core.config.ConfigException;
import dev.ssexporter.core.config.ConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ss-exporter check-config -c FILE}: validates a config file the way {@code serve} reads it.
 *
 * <pre>
 * $ ss-exporter check-config -c config.yml
 * config.yml: OK
 * $ ss-exporter check-config -c bad.yml
 * bad.yml:4:28: logic.selection.peering.networks[1]: invalid CIDR "10.0.0.0/33": prefix length 33 exceeds 32 for IPv4
 * </pre>
 */
@Command(name = "check-config",
        description = "Validates a configuration file: prints 'FILE: OK' and exits 0, or prints every error "
                + "(file:line:column: key path: message) on stderr and exits 1.",
        sortOptions = false,
        usageHelpAutoWidth = true)
final class CheckConfigCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The YAML configuration file to check.")
    Path config;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            ConfigLoader.load(config);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return Exit.FAILURE;
        }
        spec.commandLine().getOut().println(config + ": OK");
        return Exit.OK;
    }
}
