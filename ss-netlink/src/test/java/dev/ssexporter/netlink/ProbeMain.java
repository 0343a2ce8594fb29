package dev.ssexporter.netlink;

/** Prints {@link SockDiagReader#probe()} for {@link ProbeDeniedTest}, which runs it in a fresh JVM. */
public final class ProbeMain {
    private ProbeMain() {}

    public static void main(String[] args) {
        SockDiagReader.Availability a = SockDiagReader.probe();
        System.out.println("available=" + a.available());
        System.out.println("cause=" + a.unavailabilityCause());
    }
}
