/**
 * Reading several network namespaces: finding them ({@link dev.ssexporter.core.netns.NetnsDiscovery}),
 * the capabilities that takes ({@link dev.ssexporter.core.netns.Capabilities}), and one engine per
 * namespace behind one scrape ({@link dev.ssexporter.core.netns.NamespaceCollector}).
 */
package dev.ssexporter.core.netns;
