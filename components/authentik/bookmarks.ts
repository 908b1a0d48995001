import * as authentik from "@pulumi/authentik";
import * as pulumi from "@pulumi/pulumi";

export interface BookmarkArgs {
    /** Application slug; names the child resource (`<name>-<slug>`), so it must be unique. */
    slug: string;
    name: pulumi.Input<string>;
    group?: pulumi.Input<string>;
    /** https URL the portal opens. */
    launchUrl: pulumi.Input<string>;
    icon?: pulumi.Input<string>;
    description?: pulumi.Input<string>;
    publisher?: pulumi.Input<string>;
}

export interface PortalBookmarksArgs {
    /** The explicit Authentik provider every application uses. */
    provider: authentik.Provider;
    /** One portal entry per bookmark. */
    bookmarks: BookmarkArgs[];
}

/**
 * Portal bookmarks: Authentik applications without a provider, one per entry. Each child is named
 * from its slug (`<name>-<slug>`), so reordering the list changes nothing and removing an entry
 * deletes its application (today's blueprint never deletes).
 */
export class PortalBookmarks extends pulumi.ComponentResource {
    /** Slugs of the bookmark applications, in config order. */
    public readonly slugs: pulumi.Output<string[]>;
    public readonly applications: { [slug: string]: authentik.Application } = {};

    constructor(name: string, args: PortalBookmarksArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:authentik:PortalBookmarks", name, {}, opts);
        for (const bookmark of args.bookmarks) {
            this.applications[bookmark.slug] = new authentik.Application(
                `${name}-${bookmark.slug}`,
                {
                    slug: bookmark.slug,
                    name: bookmark.name,
                    group: bookmark.group,
                    metaLaunchUrl: bookmark.launchUrl,
                    metaIcon: bookmark.icon,
                    metaDescription: bookmark.description,
                    metaPublisher: bookmark.publisher,
                },
                { parent: this, provider: args.provider },
            );
        }
        this.slugs = pulumi.output(args.bookmarks.map((bookmark) => bookmark.slug));
        this.registerOutputs({ slugs: this.slugs });
    }
}
