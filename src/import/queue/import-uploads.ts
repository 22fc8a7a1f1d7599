/**
 * An async import's uploaded file, kept in the database in chunks until the import ends: any replica can run or resume
 * the import, and a crashed pod loses nothing (no pod's disk is involved).
 */
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { ImportUploadChunk } from './import-upload.entity';

/** 1 MB: one row per statement stays far below MySQL's max_allowed_packet (16 MB by default on MariaDB and 8.0). */
export const UPLOAD_CHUNK_BYTES = 1024 * 1024;

@Injectable()
export class ImportUploads {
  constructor(@InjectRepository(ImportUploadChunk) private readonly chunks: Repository<ImportUploadChunk>) {}

  /** On the caller's transaction, with the import's record. */
  async store(manager: EntityManager, importId: string, file: Buffer): Promise<void> {
    for (let chunk = 0, start = 0; start < file.length || chunk === 0; chunk++, start += UPLOAD_CHUNK_BYTES) {
      const data = file.subarray(start, start + UPLOAD_CHUNK_BYTES);
      await manager.insert(ImportUploadChunk, { importId, chunk, data });
    }
  }

  /** The whole file, or null when it is gone (the import ended). */
  async load(importId: string): Promise<Buffer | null> {
    const chunks = await this.chunks.find({ where: { importId }, order: { chunk: 'ASC' } });
    if (chunks.length === 0) return null;
    return Buffer.concat(chunks.map(({ data }) => data));
  }

  async delete(importId: string): Promise<void> {
    await this.chunks.delete({ importId });
  }

  async exists(importId: string): Promise<boolean> {
    return (await this.chunks.countBy({ importId })) > 0;
  }
}
