<?xml version="1.0" encoding="utf-8"?>
<!-- How a browser shows our Atom feeds: a page that says what a feed is and lists
     the entries. Feed readers ignore this file and read the feed itself. Static,
     same origin, no script, no inline style (the Content Security Policy). -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
  <xsl:template match="/atom:feed">
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:title"/> (feed)</title>
        <link rel="stylesheet" href="/static/css/site.css"/>
      </head>
      <body>
        <main id="main" class="feed-page">
          <h1><xsl:value-of select="atom:title"/></h1>
          <p class="feed-about">This is a web feed (Atom). To follow it, copy this page’s address into a feed reader; new entries then come to you. Below is what it holds now.</p>
          <p class="meta">Dates: “published” is when an entry went public; “updated” when it last changed.</p>
          <ol class="article-list feed-entries">
            <xsl:for-each select="atom:entry">
              <li>
                <h2><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h2>
                <p class="meta">
                  <xsl:if test="atom:author/atom:name"><xsl:value-of select="atom:author/atom:name"/> · </xsl:if>
                  published <time datetime="{atom:published}"><xsl:value-of select="substring(atom:published, 1, 10)"/></time>
                  <xsl:if test="substring(atom:updated, 1, 16) != substring(atom:published, 1, 16)"> · updated <time datetime="{atom:updated}"><xsl:value-of select="substring(atom:updated, 1, 10)"/></time></xsl:if>
                </p>
              </li>
            </xsl:for-each>
          </ol>
          <p class="back"><a href="{atom:link[@rel='alternate']/@href}">Back to the site</a></p>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
